import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerWithMethod,
  oneOffInvoice,
  query,
  reloadInvoice,
  type System,
  startSystem,
} from './system.js';

let system: System;

beforeAll(async () => {
  system = await startSystem();
  await system.startWorker();
});
afterAll(() => system?.stop());

describe('inbound Stripe events end to end', () => {
  it('links a customer through checkout and charges an invoice', async () => {
    const customer = await customerWithMethod(system, 'cust-card', {
      currency: 'USD',
      instrument: 'card_visa',
      methods: ['card'],
    });
    expect(customer.billing).toMatchObject({ provider: 'stripe' });
    const invoice = await oneOffInvoice(system, 'cust-card', 2_500, 'USD');
    await system.settle();
    const after = await reloadInvoice(system, invoice.id);
    expect(after.payment.status).toBe('succeeded');
    const inbox = await query<{ type: string; outcome: string | null }>(
      system,
      'select type, outcome from $schema.stripe_inbox_events order by received_at',
    );
    console.log(inbox);
  });
});
