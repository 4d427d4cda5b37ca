export * as billingLink from './billing-link.js';
export * as creditNoteMachine from './credit-note-machine.js';
export * as customerMachine from './customer-machine.js';
export * as invoiceMachine from './invoice-machine.js';
export * as paymentMachine from './payment-machine.js';
export * as paymentRequestMachine from './payment-request-machine.js';
export * as refundMachine from './refund-machine.js';
