import type { Customer } from '../model/customer.js';
import type { FinalizedInvoice } from '../model/invoice.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { Result } from '../result.js';
import { connectStripe } from '../use-cases/connect-stripe.js';
import { createAddOn } from '../use-cases/create-add-on.js';
import type { OneOffFeeInput } from '../use-cases/create-one-off-invoice.js';
import { createOneOffInvoice } from '../use-cases/create-one-off-invoice.js';
import { handleStripeCommand } from '../use-cases/handle-stripe-command.js';
import { upsertCustomer } from '../use-cases/upsert-customer.js';
import type { TestContext } from './test-context.js';

/** Unwraps a result in test set-up, where a failure is a broken test rather than a case. */
export function expectOk<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export async function givenConnection(t: TestContext, code = 'stripe_test'): Promise<StripeConnection> {
  return expectOk(
    await connectStripe({
      ctx: t.ctx,
      input: {
        organizationId: t.organization.id,
        name: `Stripe ${code}`,
        code,
        secretKey: 'sk_test_4242abcd',
      },
    }),
  );
}

/**
 * A customer linked to an existing provider customer that has saved one method of `methodType`
 * (reported through the same command a completed checkout produces).
 */
export async function givenLinkedCustomer(
  t: TestContext,
  options: {
    externalId?: string;
    currency?: string;
    methods?: string[];
    methodType?: 'card' | 'sepa_debit' | 'us_bank_account' | 'bacs_debit' | 'boleto' | null;
    connection?: StripeConnection;
  } = {},
): Promise<{ customer: Customer; providerCustomerId: string; connection: StripeConnection }> {
  const connection = options.connection ?? (await givenConnection(t));
  const providerCustomerId = t.gateway.seedCustomer();
  const { customer } = expectOk(
    await upsertCustomer({
      ctx: t.ctx,
      input: {
        organizationId: t.organization.id,
        externalId: options.externalId ?? 'cust_001',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        currency: options.currency ?? 'EUR',
        billingConfiguration: {
          paymentProvider: 'stripe',
          paymentProviderCode: connection.code,
          providerCustomerId,
          providerPaymentMethods: options.methods ?? ['card'],
        },
      },
    }),
  );
  const methodType = options.methodType === undefined ? 'card' : options.methodType;
  if (methodType !== null) {
    const method = t.gateway.addPaymentMethod(providerCustomerId, methodType);
    expectOk(
      await handleStripeCommand({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          connectionId: connection.id,
          providerEventId: `evt_setup_${method.providerPaymentMethodId}`,
          occurredAt: t.clock.now(),
          command: { kind: 'setup_succeeded', providerCustomerId, paymentMethod: method },
        },
      }),
    );
  }
  const fresh = t.store.customers.get(customer.id);
  if (!fresh) throw new Error('customer vanished');
  return { customer: fresh, providerCustomerId, connection };
}

export async function givenAddOn(t: TestContext, code = 'setup_fee', amountCents = 12_000, currency = 'EUR') {
  return expectOk(
    await createAddOn({
      ctx: t.ctx,
      input: { organizationId: t.organization.id, code, name: code, amountCents, amountCurrency: currency },
    }),
  );
}

export async function givenInvoice(
  t: TestContext,
  options: {
    externalCustomerId?: string;
    fees?: OneOffFeeInput[];
    currency?: string;
    skipPsp?: boolean;
  } = {},
): Promise<FinalizedInvoice> {
  return expectOk(
    await createOneOffInvoice({
      ctx: t.ctx,
      input: {
        organizationId: t.organization.id,
        externalCustomerId: options.externalCustomerId ?? 'cust_001',
        fees: options.fees ?? [{ addOnCode: 'setup_fee' }],
        ...(options.currency ? { currency: options.currency } : {}),
        ...(options.skipPsp ? { skipPsp: true } : {}),
      },
    }),
  );
}
