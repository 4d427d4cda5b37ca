import { type ValidationCode, validation } from '../errors.js';
import type { AddOn } from '../model/add-on.js';
import { err, ok } from '../result.js';
import { checkAddOnFields } from './steps/check-add-on-fields.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface CreateAddOnInput extends OrganizationScoped {
  readonly code: string;
  readonly name: string;
  readonly amountCents: number;
  readonly amountCurrency: string;
  readonly invoiceDisplayName?: string | null;
  readonly description?: string | null;
}

export const createAddOn: UseCase<CreateAddOnInput, AddOn> = async ({ ctx, input }) => {
  const details: Record<string, ValidationCode[]> = {};
  const currency = checkAddOnFields(
    {
      name: input.name ?? '',
      code: input.code ?? '',
      amountCents: input.amountCents,
      amountCurrency: input.amountCurrency ?? '',
    },
    details,
  );
  if (Object.keys(details).length > 0 || !currency) return err(validation(details));
  return inTx(ctx, input.organizationId, async (tx) => {
    const code = input.code.trim();
    if (await tx.addOns.findByCode(input.organizationId, code))
      return err(validation({ code: ['value_already_exist'] }));
    const now = ctx.clock.now();
    return ok(
      await tx.addOns.insert({
        id: ctx.ids.next('add_on'),
        organizationId: input.organizationId,
        code,
        name: input.name.trim(),
        invoiceDisplayName: input.invoiceDisplayName ?? null,
        description: input.description ?? null,
        amountCents: input.amountCents,
        currency,
        deletedAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
  });
};
