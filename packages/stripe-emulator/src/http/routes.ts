/** The Stripe API surface the emulator serves. */
import * as cash from '../resources/cash-balance.js';
import * as charges from '../resources/charges.js';
import * as sessions from '../resources/checkout-sessions.js';
import * as customers from '../resources/customers.js';
import * as disputes from '../resources/disputes.js';
import * as events from '../resources/events.js';
import * as mandates from '../resources/mandates.js';
import * as pis from '../resources/payment-intents.js';
import * as pms from '../resources/payment-methods.js';
import * as refunds from '../resources/refunds.js';
import * as sis from '../resources/setup-intents.js';
import * as endpoints from '../resources/webhook-endpoints.js';
import { Router } from './router.js';

export function apiRoutes(): Router {
  return new Router()
    .add('POST', '/v1/customers', customers.createCustomer)
    .add('GET', '/v1/customers', customers.listCustomers)
    .add('GET', '/v1/customers/:id', customers.retrieveCustomer)
    .add('POST', '/v1/customers/:id', customers.updateCustomer)
    .add('DELETE', '/v1/customers/:id', customers.deleteCustomer)
    .add('GET', '/v1/customers/:id/payment_methods', pms.listCustomerPaymentMethods)
    .add('GET', '/v1/customers/:id/payment_methods/:pm', pms.retrieveCustomerPaymentMethod)
    .add('POST', '/v1/customers/:id/funding_instructions', cash.createFundingInstructions)
    .add('GET', '/v1/customers/:id/cash_balance', cash.retrieveCashBalance)
    .add('POST', '/v1/test_helpers/customers/:id/fund_cash_balance', cash.fundCashBalance)
    .add('POST', '/v1/payment_methods', pms.createPaymentMethod)
    .add('GET', '/v1/payment_methods', pms.listPaymentMethods)
    .add('GET', '/v1/payment_methods/:id', pms.retrievePaymentMethod)
    .add('POST', '/v1/payment_methods/:id', pms.updatePaymentMethod)
    .add('POST', '/v1/payment_methods/:id/attach', pms.attachRoute)
    .add('POST', '/v1/payment_methods/:id/detach', pms.detachRoute)
    .add('POST', '/v1/payment_intents', pis.createPaymentIntent)
    .add('GET', '/v1/payment_intents', pis.listPaymentIntents)
    .add('GET', '/v1/payment_intents/:id', pis.retrievePaymentIntent)
    .add('POST', '/v1/payment_intents/:id', pis.updatePaymentIntent)
    .add('POST', '/v1/payment_intents/:id/confirm', pis.confirmPaymentIntent)
    .add('POST', '/v1/payment_intents/:id/cancel', pis.cancelPaymentIntent)
    .add('GET', '/v1/charges', charges.listCharges)
    .add('GET', '/v1/charges/:id', charges.retrieveCharge)
    .add('POST', '/v1/charges/:id', charges.updateCharge)
    .add('GET', '/v1/disputes', disputes.listDisputes)
    .add('GET', '/v1/disputes/:id', disputes.retrieveDispute)
    .add('POST', '/v1/disputes/:id', disputes.updateDispute)
    .add('POST', '/v1/disputes/:id/close', disputes.closeDisputeRoute)
    .add('POST', '/v1/refunds', refunds.createRefund)
    .add('GET', '/v1/refunds', refunds.listRefunds)
    .add('GET', '/v1/refunds/:id', refunds.retrieveRefund)
    .add('POST', '/v1/refunds/:id', refunds.updateRefund)
    .add('POST', '/v1/refunds/:id/cancel', refunds.cancelRefund)
    .add('POST', '/v1/setup_intents', sis.createSetupIntent)
    .add('GET', '/v1/setup_intents', sis.listSetupIntents)
    .add('GET', '/v1/setup_intents/:id', sis.retrieveSetupIntent)
    .add('POST', '/v1/setup_intents/:id', sis.updateSetupIntent)
    .add('POST', '/v1/setup_intents/:id/confirm', sis.confirmSetupIntent)
    .add('POST', '/v1/setup_intents/:id/cancel', sis.cancelSetupIntent)
    .add('GET', '/v1/mandates/:id', mandates.retrieveMandate)
    .add('POST', '/v1/checkout/sessions', sessions.createSession)
    .add('GET', '/v1/checkout/sessions', sessions.listSessions)
    .add('GET', '/v1/checkout/sessions/:id', sessions.retrieveSession)
    .add('POST', '/v1/checkout/sessions/:id', sessions.updateSession)
    .add('POST', '/v1/checkout/sessions/:id/expire', sessions.expireSessionRoute)
    .add('GET', '/v1/checkout/sessions/:id/line_items', sessions.listLineItems)
    .add('POST', '/v1/webhook_endpoints', endpoints.createWebhookEndpoint)
    .add('GET', '/v1/webhook_endpoints', endpoints.listWebhookEndpoints)
    .add('GET', '/v1/webhook_endpoints/:id', endpoints.retrieveWebhookEndpoint)
    .add('POST', '/v1/webhook_endpoints/:id', endpoints.updateWebhookEndpoint)
    .add('DELETE', '/v1/webhook_endpoints/:id', endpoints.deleteWebhookEndpoint)
    .add('GET', '/v1/events', events.listEvents)
    .add('GET', '/v1/events/:id', events.retrieveEvent);
}
