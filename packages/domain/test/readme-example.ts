import {
  collectInvoicePayment,
  connectStripe,
  createAddOn,
  createOneOffInvoice,
  type UseCaseContext,
  upsertCustomer,
} from '../src/index.js';
import {
  type FakePaymentGateway,
  FixedClock,
  type InMemoryStore,
  InMemoryUnitOfWork,
  SequentialIds,
} from '../src/testing/index.js';

/** The README's example, kept compiling and running by `readme-example.test.ts`. */
export async function readmeExample(
  store: InMemoryStore,
  gateway: FakePaymentGateway,
  organizationId: string,
) {
  // example:start
  const ctx: UseCaseContext = {
    uow: new InMemoryUnitOfWork(store), // persistence's unit of work in production
    gateways: gateway.factory(), // stripe-adapter's gateway factory in production
    clock: new FixedClock(),
    ids: new SequentialIds(),
    settings: { publicBaseUrl: 'https://payrail.example' },
  };
  const org = { organizationId };
  const stripe = await connectStripe({
    ctx,
    input: { ...org, name: 'EU', code: 'eu', secretKey: 'sk_test_1' },
  });
  if (!stripe.ok) throw new Error(stripe.error.code); // errors are values: { kind, code, retryable }
  const billingConfiguration = {
    paymentProvider: 'stripe',
    providerCustomerId: gateway.seedCustomer('card'),
  };
  await upsertCustomer({ ctx, input: { ...org, externalId: 'c42', currency: 'EUR', billingConfiguration } });
  const addOn = { ...org, code: 'setup', name: 'Setup', amountCents: 5000, amountCurrency: 'EUR' };
  await createAddOn({ ctx, input: addOn });
  const fees = [{ addOnCode: 'setup' }];
  const invoice = await createOneOffInvoice({ ctx, input: { ...org, externalCustomerId: 'c42', fees } });
  if (!invoice.ok) throw new Error(invoice.error.code);
  const paid = await collectInvoicePayment({ ctx, input: { ...org, invoiceId: invoice.value.id } });
  // paid.value: { outcome: 'attempted', invoice: { payment: { status: 'succeeded', … } }, payment: {…} }
  // example:end
  return paid;
}
