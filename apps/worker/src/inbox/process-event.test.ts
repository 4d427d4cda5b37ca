import { type DomainError, err, type HandleStripeCommandInput, notFound, ok } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import { RetryLaterError } from '../jobs/outcome.js';
import type { EventTranslator, InboxEvent, InboxStore } from './ports.js';
import { processInboxEventHandler } from './process-event.js';

class MemoryInbox implements InboxStore {
  readonly rows = new Map<string, InboxEvent>();
  async find(id: string) {
    return this.rows.get(id) ?? null;
  }
  async markProcessed(id: string, outcome: string) {
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, outcome, processedAt: row.processedAt ?? NOW });
  }
}

const NOW = new Date('2026-11-26T12:00:00Z');

function setup(
  answers: (() => ReturnType<typeof ok<{ result: string }>> | ReturnType<typeof err<DomainError>>)[],
  ours = false,
  translate?: EventTranslator,
) {
  const inbox = new MemoryInbox();
  inbox.rows.set('in-1', {
    id: 'in-1',
    organizationId: 'org-1',
    connectionId: 'conn-1',
    stripeEventId: 'evt_1',
    type: 'payment_intent.succeeded',
    payload: { id: 'evt_1', type: 'payment_intent.succeeded', ours },
    processedAt: null,
    outcome: null,
  });
  const calls: HandleStripeCommandInput[] = [];
  const handler = processInboxEventHandler({
    ctx: { clock: { now: () => NOW } } as never,
    useCases: {
      handleStripeCommand: async ({ input }) => {
        calls.push(input);
        const next = answers.shift();
        if (!next) throw new Error('unexpected call');
        return next();
      },
    },
    inbox,
    translate:
      translate ??
      (async (row) =>
        ok({
          organizationId: row.organizationId,
          connectionId: row.connectionId,
          providerEventId: String(row.payload.id),
          occurredAt: NOW,
          command: { kind: 'ignored', reason: 'test' },
        })),
    // The test rows say themselves whether they name one of our objects.
    namesOurObject: (row) => row.payload.ours === true,
    notFoundAttempts: 3,
  });
  const run = (attempt: number) =>
    handler({
      id: 'job',
      attempt,
      payload: { organizationId: 'org-1', inboxId: 'in-1' },
      signal: new AbortController().signal,
    });
  return { inbox, calls, run };
}

describe('processInboxEventHandler', () => {
  it('hands the translated command to the use case and records what it did', async () => {
    const { inbox, calls, run } = setup([() => ok({ result: 'payment_succeeded' })]);
    expect(await run(1)).toEqual({ status: 'done', detail: 'payment_succeeded' });
    expect(calls).toEqual([
      {
        organizationId: 'org-1',
        connectionId: 'conn-1',
        providerEventId: 'evt_1',
        occurredAt: NOW,
        command: { kind: 'ignored', reason: 'test' },
      },
    ]);
    expect(inbox.rows.get('in-1')).toMatchObject({ outcome: 'payment_succeeded', processedAt: NOW });
  });

  it('does nothing for a row already processed', async () => {
    const { calls, run } = setup([() => ok({ result: 'payment_succeeded' })]);
    await run(1);
    expect(await run(1)).toMatchObject({ status: 'done' });
    expect(calls).toHaveLength(1);
  });

  it('retries an event whose object is not visible yet, then parks it with the reason', async () => {
    const missing = () => err(notFound('payment'));
    const { inbox, run } = setup([missing, missing, missing]);
    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    await expect(run(2)).rejects.toBeInstanceOf(RetryLaterError);
    expect(inbox.rows.get('in-1')?.processedAt).toBeNull();
    expect(await run(3)).toEqual({ status: 'parked', reason: 'payment_not_found after 3 runs' });
    expect(inbox.rows.get('in-1')?.outcome).toBe('parked: payment_not_found after 3 runs');
  });

  it('succeeds when the object appears between retries', async () => {
    const { inbox, run } = setup([() => err(notFound('invoice')), () => ok({ result: 'payment_failed' })]);
    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    expect(await run(2)).toEqual({ status: 'done', detail: 'payment_failed' });
    expect(inbox.rows.get('in-1')?.outcome).toBe('payment_failed');
  });

  it('throws on a transient provider error so the queue backs off, leaving the row open', async () => {
    const { inbox, run } = setup([
      () =>
        err({
          kind: 'unavailable',
          code: 'too_many_provider_requests',
          message: 'rate limited',
          retryable: true,
        }),
    ]);
    await expect(run(1)).rejects.toThrow(/too_many_provider_requests/);
    expect(inbox.rows.get('in-1')?.processedAt).toBeNull();
  });

  it('parks at once on an error a retry cannot fix', async () => {
    const { inbox, run } = setup([
      () => err({ kind: 'not_allowed', code: 'not_disputable', message: 'draft invoice', retryable: false }),
    ]);
    expect(await run(1)).toEqual({ status: 'parked', reason: 'not_disputable: draft invoice' });
    expect(inbox.rows.get('in-1')?.outcome).toBe('parked: not_disputable: draft invoice');
  });

  it('records and ignores an event about an object someone else created', async () => {
    const { inbox, run } = setup([() => ok({ result: 'ignored:unknown_payment' })], false);
    expect(await run(1)).toEqual({ status: 'done', detail: 'ignored:unknown_payment' });
    expect(inbox.rows.get('in-1')?.outcome).toBe('ignored:unknown_payment');
  });

  it('retries, then parks, an event naming our object that cannot be found yet', async () => {
    const unknown = () => ok({ result: 'ignored:unknown_payment' });
    const { inbox, run } = setup([unknown, unknown, unknown], true);
    await expect(run(1)).rejects.toBeInstanceOf(RetryLaterError);
    await expect(run(2)).rejects.toBeInstanceOf(RetryLaterError);
    expect(inbox.rows.get('in-1')?.processedAt).toBeNull();
    expect(await run(3)).toEqual({ status: 'parked', reason: 'unknown_payment after 3 runs' });
    expect(inbox.rows.get('in-1')?.outcome).toBe('parked: unknown_payment after 3 runs');
  });

  it('parks an event that cannot be translated, and retries a transient read failure', async () => {
    const malformed = setup([], false, async () => err({ code: 'malformed', message: 'not an event' }));
    expect(await malformed.run(1)).toEqual({
      status: 'parked',
      reason: 'untranslatable: malformed: not an event',
    });
    expect(malformed.calls).toHaveLength(0);

    const flaky = setup([], false, async () =>
      err({ code: 'retryable', reason: 'rate_limited', message: 'slow down' }),
    );
    await expect(flaky.run(1)).rejects.toBeInstanceOf(RetryLaterError);
    expect(flaky.inbox.rows.get('in-1')?.processedAt).toBeNull();
  });

  it('keeps a long parking reason within the outcome column', async () => {
    const { inbox, run } = setup([
      () =>
        err({ kind: 'not_allowed', code: 'invalid_status', message: 'x'.repeat(1_000), retryable: false }),
    ]);
    expect((await run(1)).status).toBe('parked');
    const outcome = inbox.rows.get('in-1')?.outcome ?? '';
    expect(outcome.startsWith('parked: invalid_status: xxx')).toBe(true);
    expect(outcome).toHaveLength(255);
  });
});
