import { describe, expect, it } from 'vitest';
import { UniqueViolationError, VersionConflictError } from '../errors.js';
import { makeEvent } from '../events.js';
import { createTestContext, givenAddOn } from './index.js';

describe('in-memory unit of work', () => {
  it('commits writes, jobs and events together', async () => {
    const t = createTestContext();
    const addOn = await givenAddOn(t);
    await t.ctx.uow.run(t.organization.id, async (tx) => {
      await tx.addOns.update({ ...addOn, name: 'Renamed' });
      await tx.jobs.enqueue({ name: 'payment.collect', payload: { organizationId: 'o', invoiceId: 'i' } });
      await tx.outbox.publish(
        makeEvent(
          'invoice.voided',
          { id: 'e', organizationId: 'o', occurredAt: new Date(0) },
          { lago_invoice_id: 'i' },
        ),
      );
    });
    expect(t.store.addOns.get(addOn.id)).toMatchObject({ name: 'Renamed', version: 2 });
    expect(t.store.jobs).toHaveLength(1);
    expect(t.store.events).toHaveLength(1);
  });

  it('rolls everything back when the function throws', async () => {
    const t = createTestContext();
    const addOn = await givenAddOn(t);
    await expect(
      t.ctx.uow.run(t.organization.id, async (tx) => {
        await tx.addOns.update({ ...addOn, name: 'Renamed' });
        await tx.jobs.enqueue({ name: 'payment.collect', payload: { organizationId: 'o', invoiceId: 'i' } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(t.store.addOns.get(addOn.id)).toMatchObject({ name: 'setup_fee', version: 1 });
    expect(t.store.jobs).toHaveLength(0);
  });

  it('a stale version is a conflict, never a silent overwrite', async () => {
    const t = createTestContext();
    const addOn = await givenAddOn(t);
    await t.ctx.uow.run(null, async (tx) => tx.addOns.update({ ...addOn, name: 'First' }));
    await expect(
      t.ctx.uow.run(null, async (tx) => tx.addOns.update({ ...addOn, name: 'Second' })),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(t.store.addOns.get(addOn.id)?.name).toBe('First');
  });

  it('two interleaved transactions updating the same row: the second to commit loses', async () => {
    const t = createTestContext();
    const addOn = await givenAddOn(t);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = t.ctx.uow.run(null, async (tx) => {
      const read = await tx.addOns.findById(addOn.id);
      await gate;
      return tx.addOns.update({ ...(read ?? addOn), name: 'Slow' });
    });
    await t.ctx.uow.run(null, async (tx) => tx.addOns.update({ ...addOn, name: 'Fast' }));
    release();
    await expect(slow).rejects.toBeInstanceOf(VersionConflictError);
    expect(t.store.addOns.get(addOn.id)?.name).toBe('Fast');
  });

  it('enforces uniqueness rules, also across concurrent transactions', async () => {
    const t = createTestContext();
    const addOn = await givenAddOn(t, 'a');
    await expect(
      t.ctx.uow.run(null, async (tx) => tx.addOns.insert({ ...addOn, id: 'other', code: 'a' })),
    ).rejects.toBeInstanceOf(UniqueViolationError);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = t.ctx.uow.run(null, async (tx) => {
      await gate;
      return tx.addOns.insert({ ...addOn, id: 'x1', code: 'b' });
    });
    await t.ctx.uow.run(null, async (tx) => tx.addOns.insert({ ...addOn, id: 'x2', code: 'b' }));
    release();
    await expect(slow).rejects.toBeInstanceOf(UniqueViolationError);
  });

  it('absorbs a job whose dedupe key is still live, until it is taken', async () => {
    const t = createTestContext();
    const job = {
      name: 'payment.collect',
      payload: { organizationId: 'o', invoiceId: 'i' },
      dedupeKey: 'k',
    } as const;
    await t.ctx.uow.run(null, async (tx) => tx.jobs.enqueue(job));
    await t.ctx.uow.run(null, async (tx) => tx.jobs.enqueue(job));
    expect(t.store.takeJobs()).toHaveLength(1);
    await t.ctx.uow.run(null, async (tx) => tx.jobs.enqueue(job));
    expect(t.store.takeJobs()).toHaveLength(1);
  });
});
