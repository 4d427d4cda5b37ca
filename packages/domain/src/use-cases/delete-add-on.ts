import { notFound } from '../errors.js';
import type { AddOn } from '../model/add-on.js';
import { err, ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface DeleteAddOnInput extends OrganizationScoped {
  readonly code: string;
}

/** Soft delete: the code becomes free again, existing fees are untouched. */
export const deleteAddOn: UseCase<DeleteAddOnInput, AddOn> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const addOn = await tx.addOns.findByCode(input.organizationId, input.code);
    if (!addOn) return err(notFound('add_on'));
    const now = ctx.clock.now();
    return ok(await tx.addOns.update({ ...addOn, deletedAt: now, updatedAt: now }));
  });
