import { upsertCustomer } from '@payrail/domain';
import { startReceiver } from '@payrail/lago-wire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithMethod,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startWorkerSystem,
} from './harness.js';

let system: System;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  system = await startWorkerSystem();
  receiver = await startReceiver();
  await system.db.webhookEndpoints.create(system.organizationId, {
    webhookUrl: `${receiver.url}/merchant`,
    signatureAlgo: 'hmac',
    name: null,
    eventTypes: ['payment_provider.error', 'customer.payment_provider_error', 'invoice.payment_failure'],
  });
});
afterAll(async () => {
  await system?.stop();
  await receiver?.close();
});

type Body = Record<string, Record<string, unknown>> & { webhook_type: string };
const received = (type: string): Body[] =>
  receiver.received.map((r) => JSON.parse(r.body) as Body).filter((body) => body.webhook_type === type);

const unfinishedJobs = async () =>
  (
    await query<{ n: number }>(
      system,
      `select count(*)::int as n from "${system.db.queue.schema}".job where state in ('created', 'retry', 'active')`,
    )
  )[0]?.n;

describe('Stripe refuses the connection key (revoked in the Dashboard)', () => {
  it('each job that hits the refusal tells the merchant payment_provider.error once and stops', async () => {
    await customerWithMethod(system, 'cust-before', {
      currency: 'USD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    expect(received('payment_provider.error')).toEqual([]);
    await system.controls.revokeKey('sk_test_payrail_e2e');

    // Collection job.
    const invoice = await oneOffInvoice(system, 'cust-before', 2_500, 'USD');
    // Customer creation job.
    const created = await upsertCustomer({
      ctx: system.ctx,
      input: {
        organizationId: system.organizationId,
        externalId: 'cust-after',
        name: 'After',
        email: 'after@example.com',
        currency: 'USD',
        billingConfiguration: {
          paymentProvider: 'stripe',
          paymentProviderCode: 'stripe_main',
          syncWithProvider: true,
          providerPaymentMethods: ['card'],
        },
      },
    });
    if (!created.ok) throw new Error(created.error.message);
    await system.settle();

    const errors = received('payment_provider.error');
    expect(errors.map((b) => b.payment_provider_error?.action).sort()).toEqual([
      'payment_provider.create_customer',
      'payment_provider.create_payment',
    ]);
    for (const body of errors) {
      expect(body).toMatchObject({
        object_type: 'payment_provider_error',
        organization_id: system.organizationId,
        payment_provider_error: {
          lago_payment_provider_id: system.connection.id,
          payment_provider_name: system.connection.name,
          payment_provider_code: 'stripe_main',
          source: 'stripe',
          provider_error: {
            message: expect.stringMatching(/^Invalid API Key provided: sk_test_\*{4}/),
            code: null,
          },
        },
      });
      expect(JSON.stringify(body)).not.toContain('sk_test_payrail_e2e');
    }

    // The specific announcements still go out, and nothing is left to retry.
    expect((await reloadInvoice(system, invoice.id)).payment.status).toBe('failed');
    expect(
      received('invoice.payment_failure').map(
        (b) => b.payment_provider_invoice_payment_error?.lago_invoice_id,
      ),
    ).toEqual([invoice.id]);
    expect(
      received('customer.payment_provider_error').map(
        (b) => b.payment_provider_customer_error?.external_customer_id,
      ),
    ).toEqual(['cust-after']);
    expect(await unfinishedJobs()).toBe(0);
  });
});
