import { describe, expect, it } from 'vitest';
import { UniqueViolationError, VersionConflictError } from '../../errors.js';
import { ok } from '../../result.js';
import { createTestContext } from '../../testing/index.js';
import { inTx } from './in-transaction.js';

describe('inTx', () => {
  it.each([
    [
      new UniqueViolationError('add_on', 'code'),
      { kind: 'validation', details: { code: ['value_already_exist'] } },
    ],
    [
      new UniqueViolationError('customer', 'external_id'),
      { kind: 'validation', details: { external_id: ['value_already_exist'] } },
    ],
    [new UniqueViolationError('payment', 'invoice_id'), { kind: 'conflict', retryable: true }],
    [new UniqueViolationError('invoice', 'sequential_id'), { kind: 'conflict', retryable: true }],
    [new VersionConflictError('invoice', 'i', 3), { kind: 'conflict', retryable: true }],
  ])('turns %s into %j and rolls back', async (thrown, error) => {
    const t = createTestContext();
    const result = await inTx(t.ctx, null, async (tx) => {
      await tx.jobs.enqueue({ name: 'payment.collect', payload: { organizationId: 'o', invoiceId: 'i' } });
      throw thrown;
    });
    expect(result).toMatchObject({ ok: false, error });
    expect(t.store.jobs).toHaveLength(0);
  });

  it('rolls back when the function returns an error value', async () => {
    const t = createTestContext();
    const result = await inTx(t.ctx, null, async (tx) => {
      await tx.jobs.enqueue({ name: 'payment.collect', payload: { organizationId: 'o', invoiceId: 'i' } });
      return {
        ok: false as const,
        error: {
          kind: 'conflict' as const,
          code: 'conflict' as const,
          message: 'x',
          retryable: true as const,
        },
      };
    });
    expect(result.ok).toBe(false);
    expect(t.store.jobs).toHaveLength(0);
    expect(await inTx(t.ctx, null, async () => ok(1))).toEqual({ ok: true, value: 1 });
  });

  it('lets defects through', async () => {
    const t = createTestContext();
    await expect(inTx(t.ctx, null, async () => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});
