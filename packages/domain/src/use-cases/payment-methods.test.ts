import { describe, expect, it } from 'vitest';
import type { StripeCommand } from '../commands.js';
import { createTestContext, expectOk, givenLinkedCustomer, type TestContext } from '../testing/index.js';
import { handleStripeCommand } from './handle-stripe-command.js';
import { setDefaultPaymentMethod } from './set-default-payment-method.js';

function send(t: TestContext, connectionId: string, command: StripeCommand, occurredAt = t.clock.now()) {
  return handleStripeCommand({
    ctx: t.ctx,
    input: {
      organizationId: t.organization.id,
      connectionId,
      providerEventId: `evt_${Math.random()}`,
      occurredAt,
      command,
    },
  });
}

function localMethods(t: TestContext, customerId: string) {
  return [...t.store.paymentMethods.values()].filter(
    (m) => m.customerId === customerId && m.deletedAt === null,
  );
}

function defaultOf(t: TestContext, customerId: string) {
  const billing = t.store.customers.get(customerId)?.billing;
  return billing?.provider === 'stripe' ? billing.defaultPaymentMethod : null;
}

describe('payment methods and the default', () => {
  it('a method saved through checkout becomes the default, here and at Stripe', async () => {
    const t = createTestContext();
    const { customer, providerCustomerId } = await givenLinkedCustomer(t);
    const [saved] = localMethods(t, customer.id);
    expect(defaultOf(t, customer.id)).toEqual({ paymentMethodId: saved?.id, chosenBy: 'new_method' });
    expect(t.gateway.customers.get(providerCustomerId)?.defaultPaymentMethodId).toBe(
      saved?.providerPaymentMethodId,
    );
  });

  it('the latest saved method wins, unless one was chosen by hand afterwards', async () => {
    const t = createTestContext();
    const { customer, providerCustomerId, connection } = await givenLinkedCustomer(t);
    const [first] = localMethods(t, customer.id);
    t.clock.advance(1000);
    const second = t.gateway.addPaymentMethod(providerCustomerId);
    expectOk(
      await send(t, connection.id, { kind: 'setup_succeeded', providerCustomerId, paymentMethod: second }),
    );
    const secondLocal = localMethods(t, customer.id).find(
      (m) => m.providerPaymentMethodId === second.providerPaymentMethodId,
    );
    expect(defaultOf(t, customer.id)?.paymentMethodId).toBe(secondLocal?.id);

    expectOk(
      await setDefaultPaymentMethod({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          customer: { id: customer.id },
          paymentMethodId: first?.id ?? '',
        },
      }),
    );
    expect(defaultOf(t, customer.id)).toEqual({ paymentMethodId: first?.id, chosenBy: 'manual' });
    expect(t.gateway.customers.get(providerCustomerId)?.defaultPaymentMethodId).toBe(
      first?.providerPaymentMethodId,
    );
  });

  it('a stale default-changed event does not override a later manual choice', async () => {
    const t = createTestContext();
    const { customer, providerCustomerId, connection } = await givenLinkedCustomer(t);
    const eventTime = t.clock.now();
    t.clock.advance(1000);
    const other = t.gateway.addPaymentMethod(providerCustomerId);
    expectOk(
      await send(t, connection.id, { kind: 'setup_succeeded', providerCustomerId, paymentMethod: other }),
    );
    const [newest, oldest] = localMethods(t, customer.id).sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime(),
    );
    t.clock.advance(1000);
    expectOk(
      await setDefaultPaymentMethod({
        ctx: t.ctx,
        input: {
          organizationId: t.organization.id,
          customer: { id: customer.id },
          paymentMethodId: oldest?.id ?? '',
        },
      }),
    );
    const result = expectOk(
      await send(
        t,
        connection.id,
        { kind: 'customer_default_payment_method_changed', providerCustomerId, paymentMethod: other },
        eventTime,
      ),
    );
    expect(result.result).toBe('ignored:older_than_manual_choice');
    expect(defaultOf(t, customer.id)?.paymentMethodId).toBe(oldest?.id);
    expect(newest).toBeDefined();
  });

  it('a default changed in Stripe is adopted', async () => {
    const t = createTestContext();
    const { customer, providerCustomerId, connection } = await givenLinkedCustomer(t);
    t.clock.advance(1000);
    const other = t.gateway.addPaymentMethod(providerCustomerId);
    expectOk(
      await send(t, connection.id, {
        kind: 'customer_default_payment_method_changed',
        providerCustomerId,
        paymentMethod: other,
      }),
    );
    const local = localMethods(t, customer.id).find(
      (m) => m.providerPaymentMethodId === other.providerPaymentMethodId,
    );
    expect(defaultOf(t, customer.id)).toEqual({ paymentMethodId: local?.id, chosenBy: 'provider' });
  });

  it('a detached default falls back to the newest remaining method, then to none', async () => {
    const t = createTestContext();
    const { customer, providerCustomerId, connection } = await givenLinkedCustomer(t);
    const [first] = localMethods(t, customer.id);
    t.clock.advance(1000);
    const second = t.gateway.addPaymentMethod(providerCustomerId);
    expectOk(
      await send(t, connection.id, { kind: 'setup_succeeded', providerCustomerId, paymentMethod: second }),
    );
    expectOk(
      await send(t, connection.id, {
        kind: 'payment_method_detached',
        providerCustomerId,
        providerPaymentMethodId: second.providerPaymentMethodId,
      }),
    );
    expect(defaultOf(t, customer.id)?.paymentMethodId).toBe(first?.id);
    expectOk(
      await send(t, connection.id, {
        kind: 'payment_method_detached',
        providerCustomerId,
        providerPaymentMethodId: first?.providerPaymentMethodId ?? '',
      }),
    );
    expect(defaultOf(t, customer.id)).toBeNull();
  });

  it('events about unknown customers are ignored, not failed', async () => {
    const t = createTestContext();
    const { connection } = await givenLinkedCustomer(t);
    const method = {
      providerPaymentMethodId: 'pm_x',
      type: 'card' as const,
      details: null,
      createdAt: t.clock.now(),
    };
    expect(
      expectOk(
        await send(t, connection.id, {
          kind: 'setup_succeeded',
          providerCustomerId: 'cus_other',
          paymentMethod: method,
        }),
      ),
    ).toEqual({
      result: 'ignored:unknown_customer',
    });
  });

  it.each([['unknown method', 'nope', 'payment_method_not_found']])(
    'setDefaultPaymentMethod: %s → 404',
    async (_name, id, code) => {
      const t = createTestContext();
      const { customer } = await givenLinkedCustomer(t);
      const result = await setDefaultPaymentMethod({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, customer: { id: customer.id }, paymentMethodId: id },
      });
      expect(result).toMatchObject({ ok: false, error: { code } });
    },
  );
});
