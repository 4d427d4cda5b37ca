import { notFound, type ValidationCode, validation } from '../errors.js';
import type { AddOn } from '../model/add-on.js';
import { err, ok } from '../result.js';
import { checkAddOnFields } from './steps/check-add-on-fields.js';
import { inTx } from './steps/in-transaction.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface UpdateAddOnInput extends OrganizationScoped {
  readonly code: string;
  readonly newCode?: string;
  readonly name?: string;
  readonly amountCents?: number;
  readonly amountCurrency?: string;
  readonly invoiceDisplayName?: string | null;
  readonly description?: string | null;
}

/** Changes apply to invoices created afterwards; existing fees keep their own copy. */
export const updateAddOn: UseCase<UpdateAddOnInput, AddOn> = async ({ ctx, input }) => {
  const details: Record<string, ValidationCode[]> = {};
  const currency = checkAddOnFields(
    {
      name: input.name,
      code: input.newCode,
      amountCents: input.amountCents,
      amountCurrency: input.amountCurrency,
    },
    details,
  );
  if (Object.keys(details).length > 0) return err(validation(details));
  return inTx(ctx, input.organizationId, async (tx) => {
    const addOn = await tx.addOns.findByCode(input.organizationId, input.code);
    if (!addOn) return err(notFound('add_on'));
    const code = input.newCode?.trim() ?? addOn.code;
    if (code !== addOn.code && (await tx.addOns.findByCode(input.organizationId, code))) {
      return err(validation({ code: ['value_already_exist'] }));
    }
    return ok(
      await tx.addOns.update({
        ...addOn,
        code,
        name: input.name?.trim() ?? addOn.name,
        amountCents: input.amountCents ?? addOn.amountCents,
        currency: currency ?? addOn.currency,
        invoiceDisplayName:
          input.invoiceDisplayName === undefined ? addOn.invoiceDisplayName : input.invoiceDisplayName,
        description: input.description === undefined ? addOn.description : input.description,
        updatedAt: ctx.clock.now(),
      }),
    );
  });
};
