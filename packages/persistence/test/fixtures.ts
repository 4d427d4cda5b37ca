import { randomUUID } from 'node:crypto';
import {
  type CurrencyCode,
  type Customer,
  type FinalizedInvoice,
  type Organization,
  type PendingPayment,
  Secret,
  type StripeConnection,
  type Tx,
} from '@payrail/domain';
import type { TestDatabase } from '../src/testing/index.js';

export const EUR = 'EUR' as CurrencyCode;

export interface World {
  readonly org: Organization;
  readonly connection: StripeConnection;
  readonly customer: Customer;
}

/** An organization with one Stripe connection and one linked customer. */
export async function seedWorld(db: TestDatabase): Promise<World> {
  const org = await db.organizations.create({ name: 'Acme', documentNumberPrefix: 'ACM-1234' });
  const connection = stripeConnection(org.id);
  const customer = linkedCustomer(org.id, connection.id, 1);
  await db.unitOfWork.run(org.id, async (tx) => {
    await tx.stripeConnections.insert(connection);
    await tx.customers.insert(customer);
  });
  return { org, connection, customer };
}

export function stripeConnection(organizationId: string, code = 'stripe_main'): StripeConnection {
  const now = new Date();
  return {
    id: randomUUID(),
    organizationId,
    name: 'Main account',
    code,
    secretKey: new Secret('sk_test_51SecretKeyValue4242'),
    successRedirectUrl: null,
    webhookEndpoint: { providerEndpointId: 'we_123', signingSecret: new Secret('whsec_signing_secret_1') },
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export function linkedCustomer(
  organizationId: string,
  connectionId: string,
  sequentialId: number,
  externalId = `cust_${sequentialId}`,
): Customer {
  const now = new Date();
  return {
    id: randomUUID(),
    organizationId,
    externalId,
    sequentialId,
    name: 'Jane Doe',
    firstname: 'Jane',
    lastname: 'Doe',
    email: 'jane@example.com',
    phone: null,
    currency: EUR,
    address: { line1: '1 Main St', line2: null, city: 'Paris', state: null, zipcode: '75001', country: 'FR' },
    billing: {
      provider: 'stripe',
      connectionId,
      syncWithProvider: true,
      paymentMethodTypes: ['card', 'sepa_debit'],
      providerCustomer: { status: 'linked', providerCustomerId: 'cus_123' },
      defaultPaymentMethod: null,
    },
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}

export async function insertAddOn(tx: Tx, organizationId: string) {
  const now = new Date();
  const addOn = {
    id: randomUUID(),
    organizationId,
    code: `setup_${randomUUID().slice(0, 8)}`,
    name: 'Setup fee',
    invoiceDisplayName: null,
    description: null,
    amountCents: 12_000,
    currency: EUR,
    version: 1,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await tx.addOns.insert(addOn);
  return addOn;
}

export function finalizedInvoice(
  world: World,
  addOn: { id: string; code: string },
  sequentialId: number,
): FinalizedInvoice {
  const now = new Date();
  return {
    id: randomUUID(),
    organizationId: world.org.id,
    customerId: world.customer.id,
    invoiceType: 'one_off',
    status: 'finalized',
    sequentialId,
    number: `ACM-1234-001-${String(sequentialId).padStart(3, '0')}`,
    issuingDate: '2026-11-26',
    finalizedAt: now,
    currency: EUR,
    fees: [
      {
        id: randomUUID(),
        addOnId: addOn.id,
        addOnCode: addOn.code,
        name: 'Setup fee',
        invoiceDisplayName: null,
        description: null,
        units: '2.5',
        unitAmountCents: 12_000,
        amountCents: 30_000,
        currency: EUR,
      },
    ],
    feesAmountCents: 30_000,
    taxesAmountCents: 0,
    totalAmountCents: 30_000,
    totalPaidAmountCents: 0,
    credited: { creditCents: 0, refundCents: 0, offsetCents: 0 },
    payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
    paymentDisputeLostAt: null,
    metadata: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export function pendingPayment(world: World, invoice: FinalizedInvoice): PendingPayment {
  const now = new Date();
  return {
    id: randomUUID(),
    organizationId: world.org.id,
    invoiceId: invoice.id,
    customerId: world.customer.id,
    connectionId: world.connection.id,
    providerCustomerId: 'cus_123',
    providerPaymentMethodId: 'pm_123',
    amountCents: invoice.totalAmountCents,
    currency: EUR,
    providerPaymentId: null,
    providerStatus: null,
    request: {
      allowedMethods: ['card', 'sepa_debit'],
      description: `Acme - Invoice ${invoice.number}`,
      returnUrl: 'https://example.test/paid',
      metadata: { lago_invoice_id: invoice.id, lago_payable_type: 'Invoice' },
    },
    checkout: null,
    status: 'pending',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
