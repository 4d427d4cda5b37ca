import {
  type AddOn,
  type CreditNote,
  type CurrencyCode,
  type Customer,
  type FinalizedInvoice,
  type Payment,
  Secret,
  type StripeConnection,
} from '@payrail/domain';

export const USD = 'USD' as CurrencyCode;
const at = new Date('2026-11-26T10:11:12.345Z');
const stamps = { version: 1, createdAt: at, updatedAt: at };

export const linkedCustomer: Customer = {
  ...stamps,
  id: '11111111-1111-4111-8111-111111111111',
  organizationId: 'org-1',
  externalId: 'cust_001',
  sequentialId: 7,
  name: 'Acme',
  firstname: null,
  lastname: null,
  email: 'billing@acme.test',
  phone: null,
  currency: USD,
  address: { line1: '1 Road', line2: null, city: 'Paris', state: null, zipcode: '75001', country: 'FR' },
  billing: {
    provider: 'stripe',
    connectionId: 'conn-1',
    syncWithProvider: true,
    paymentMethodTypes: ['card'],
    providerCustomer: { status: 'linked', providerCustomerId: 'cus_123' },
    defaultPaymentMethod: null,
  },
  deletedAt: null,
};

export const unlinkedCustomer: Customer = { ...linkedCustomer, billing: { provider: 'none' } };

export const addOn: AddOn = {
  ...stamps,
  id: '22222222-2222-4222-8222-222222222222',
  organizationId: 'org-1',
  code: 'setup_fee',
  name: 'Setup fee',
  invoiceDisplayName: null,
  description: null,
  amountCents: 50000,
  currency: USD,
  deletedAt: null,
};

export const invoice: FinalizedInvoice = {
  ...stamps,
  id: '33333333-3333-4333-8333-333333333333',
  organizationId: 'org-1',
  customerId: linkedCustomer.id,
  invoiceType: 'one_off',
  currency: USD,
  fees: [
    {
      id: '44444444-4444-4444-8444-444444444444',
      addOnId: addOn.id,
      addOnCode: addOn.code,
      name: addOn.name,
      invoiceDisplayName: null,
      description: null,
      units: '2',
      unitAmountCents: 12000,
      amountCents: 24000,
      currency: USD,
    },
  ],
  feesAmountCents: 24000,
  taxesAmountCents: 0,
  totalAmountCents: 24000,
  totalPaidAmountCents: 0,
  credited: { creditCents: 0, refundCents: 0, offsetCents: 0 },
  payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
  paymentDisputeLostAt: null,
  metadata: [],
  status: 'finalized',
  sequentialId: 2,
  number: 'ACM-007-002',
  issuingDate: '2026-11-26',
  finalizedAt: at,
};

export const payment: Payment = {
  ...stamps,
  id: '55555555-5555-4555-8555-555555555555',
  organizationId: 'org-1',
  invoiceId: invoice.id,
  customerId: linkedCustomer.id,
  connectionId: 'conn-1',
  providerCustomerId: 'cus_123',
  providerPaymentMethodId: 'pm_1',
  amountCents: 24000,
  currency: USD,
  providerPaymentId: 'pi_1',
  providerStatus: 'requires_action',
  request: null,
  checkout: null,
  status: 'requires_action',
  nextAction: { type: 'redirect_to_url' },
};

export const creditNote: CreditNote = {
  ...stamps,
  id: '66666666-6666-4666-8666-666666666666',
  organizationId: 'org-1',
  invoiceId: invoice.id,
  customerId: linkedCustomer.id,
  sequentialId: 1,
  number: 'ACM-007-002-CN001',
  issuingDate: '2026-11-26',
  reason: 'order_change',
  description: null,
  currency: USD,
  items: [{ id: '77777777-7777-4777-8777-777777777777', feeId: invoice.fees[0]!.id, amountCents: 100 }],
  creditAmountCents: 100,
  refundAmountCents: 0,
  offsetAmountCents: 0,
  totalAmountCents: 100,
  balanceAmountCents: 100,
  creditStatus: 'available',
  refund: null,
};

export const connection: StripeConnection = {
  ...stamps,
  id: '88888888-8888-4888-8888-888888888888',
  organizationId: 'org-1',
  name: 'Stripe test',
  code: 'stripe_test',
  secretKey: new Secret('sk_test_abcdefgh1234'),
  successRedirectUrl: null,
  webhookEndpoint: { providerEndpointId: 'we_1', signingSecret: new Secret('whsec_x') },
};
