import { describe, expect, it } from 'vitest';
import { createTestContext, expectOk, givenConnection } from '../testing/index.js';
import { saveCustomer } from './save-customer.js';

const syncNow = { paymentProvider: 'stripe', syncWithProvider: true, sync: true } as const;

describe('saveCustomer', () => {
  it('with sync, creates the Stripe customer inside the call', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const customer = expectOk(
      await saveCustomer({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, externalId: 'c1', billingConfiguration: syncNow },
      }),
    );
    expect(customer.billing).toMatchObject({ provider: 'stripe', providerCustomer: { status: 'linked' } });
    expect(t.gateway.customers.size).toBe(1);
  });

  it('without sync, leaves the Stripe customer to the queued job', async () => {
    const t = createTestContext();
    await givenConnection(t);
    const customer = expectOk(
      await saveCustomer({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          externalId: 'c1',
          billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true },
        },
      }),
    );
    expect(customer.billing).toMatchObject({ providerCustomer: { status: 'pending' } });
    expect(t.gateway.customers.size).toBe(0);
  });

  it('a sync that cannot complete saves the customer, logs, and leaves the job to retry', async () => {
    const t = createTestContext();
    await givenConnection(t);
    t.gateway.failNext('createCustomer', {
      code: 'retryable',
      reason: 'network',
      message: 'Stripe is unreachable',
    });
    const customer = expectOk(
      await saveCustomer({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, externalId: 'c1', billingConfiguration: syncNow },
      }),
    );
    expect(customer.billing).toMatchObject({ providerCustomer: { status: 'pending' } });
    expect(t.store.jobsNamed('stripe.create_customer')).toHaveLength(1);
    expect(t.logger.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'customer sync with Stripe did not complete',
    ]);
  });
});
