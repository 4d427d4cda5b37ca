import { type DomainError, notFound, type ValidationCode, validation } from '../errors.js';
import { finalize } from '../machines/invoice-machine.js';
import type { AddOn } from '../model/add-on.js';
import type { DraftInvoice, Fee, FinalizedInvoice } from '../model/invoice.js';
import { type CurrencyCode, parseCurrency } from '../money.js';
import { err, ok, type Result } from '../result.js';
import { invoiceNumber, isoDate } from '../rules/numbering.js';
import { multiplyUnits, parseUnits } from '../rules/units.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export interface OneOffFeeInput {
  readonly addOnCode: string;
  /** Defaults to the add-on's amount. */
  readonly unitAmountCents?: number | null;
  /** Number or decimal string; defaults to 1. */
  readonly units?: number | string | null;
  readonly description?: string | null;
  readonly invoiceDisplayName?: string | null;
}

export interface CreateOneOffInvoiceInput extends OrganizationScoped {
  readonly externalCustomerId: string;
  /** Defaults to the customer's currency, then the first add-on's. */
  readonly currency?: string | null;
  readonly fees: readonly OneOffFeeInput[];
  /** Do not send the invoice to Stripe. */
  readonly skipPsp?: boolean;
}

/**
 * A one-off invoice built from add-on fees, finalized at creation with its number. A zero total is
 * paid on the spot; otherwise collection is queued in the same transaction (unless `skipPsp`).
 */
export const createOneOffInvoice: UseCase<CreateOneOffInvoiceInput, FinalizedInvoice> = async ({
  ctx,
  input,
}) => {
  if (!input.fees || input.fees.length === 0) return err(notFound('fees'));
  return inTx(ctx, input.organizationId, async (tx) => {
    const customer = await tx.customers.findByExternalId(input.organizationId, input.externalCustomerId);
    if (!customer) return err(notFound('customer'));
    const organization = await tx.organizations.findById(input.organizationId);
    if (!organization) return err(notFound('organization'));

    const addOns: AddOn[] = [];
    for (const fee of input.fees) {
      const addOn = await tx.addOns.findByCode(input.organizationId, fee.addOnCode);
      if (!addOn) return err(notFound('add_on', { code: fee.addOnCode }));
      addOns.push(addOn);
    }
    const currency = chooseCurrency(input.currency, customer.currency, addOns);
    if (!currency.ok) return currency;
    const fees = buildFees(ctx, input.fees, addOns, currency.value);
    if (!fees.ok) return fees;

    const now = ctx.clock.now();
    const total = fees.value.reduce((s, f) => s + f.amountCents, 0);
    const draft: DraftInvoice = {
      id: ctx.ids.next('invoice'),
      organizationId: input.organizationId,
      customerId: customer.id,
      invoiceType: 'one_off',
      status: 'draft',
      currency: currency.value,
      fees: fees.value,
      feesAmountCents: total,
      taxesAmountCents: 0,
      totalAmountCents: total,
      totalPaidAmountCents: 0,
      credited: { creditCents: 0, refundCents: 0, offsetCents: 0 },
      payment: { status: 'pending', inFlightPaymentId: null, waitingFor: null },
      paymentDisputeLostAt: null,
      metadata: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const sequentialId = await tx.sequences.next({ kind: 'invoice', customerId: customer.id });
    const invoice = finalize(
      draft,
      {
        sequentialId,
        number: invoiceNumber(organization.documentNumberPrefix, customer.sequentialId, sequentialId),
        issuingDate: isoDate(now),
      },
      now,
    );
    await tx.invoices.insert(invoice);
    await tx.outbox.publish(
      newEvent(ctx, invoice.organizationId, 'invoice.one_off_created', { lago_invoice_id: invoice.id }),
    );
    if (invoice.payment.status === 'pending' && !input.skipPsp) {
      await tx.jobs.enqueue({
        name: 'payment.collect',
        payload: { organizationId: invoice.organizationId, invoiceId: invoice.id },
        dedupeKey: `payment.collect:${invoice.id}`,
      });
    }
    return ok(invoice);
  });
};

function chooseCurrency(
  requested: string | null | undefined,
  customerCurrency: CurrencyCode | null,
  addOns: readonly AddOn[],
): Result<CurrencyCode, DomainError> {
  if (requested !== null && requested !== undefined) {
    const parsed = parseCurrency(requested);
    return parsed ? ok(parsed) : err(validation({ currency: ['value_is_invalid'] }));
  }
  const fallback = customerCurrency ?? addOns[0]?.currency;
  return fallback ? ok(fallback) : err(validation({ currency: ['value_is_mandatory'] }));
}

function buildFees(
  ctx: UseCaseContext,
  inputs: readonly OneOffFeeInput[],
  addOns: readonly AddOn[],
  currency: CurrencyCode,
): Result<Fee[], DomainError> {
  const details: Record<string, ValidationCode[]> = {};
  const fees: Fee[] = [];
  inputs.forEach((input, i) => {
    const addOn = addOns[i] as AddOn;
    const units = parseUnits(input.units);
    if (!units.ok) details.units = ['value_is_invalid'];
    const unitAmount = input.unitAmountCents ?? addOn.amountCents;
    if (!Number.isSafeInteger(unitAmount) || unitAmount < 0) details.unit_amount_cents = ['value_is_invalid'];
    // The add-on's own price only means something in its own currency.
    if (
      (input.unitAmountCents === null || input.unitAmountCents === undefined) &&
      addOn.currency !== currency
    ) {
      details.currency = ['currencies_does_not_match'];
    }
    if (!units.ok || Object.keys(details).length > 0) return;
    const amount = multiplyUnits(units.value, unitAmount);
    if (!amount.ok) {
      details.units = [amount.error];
      return;
    }
    fees.push({
      id: ctx.ids.next('fee'),
      addOnId: addOn.id,
      addOnCode: addOn.code,
      name: addOn.name,
      invoiceDisplayName: input.invoiceDisplayName ?? addOn.invoiceDisplayName,
      description: input.description ?? addOn.description,
      units: units.value,
      unitAmountCents: unitAmount,
      amountCents: amount.value,
      currency,
    });
  });
  if (Object.keys(details).length > 0) return err(validation(details));
  // Each fee may be in range while their sum is not.
  const total = fees.reduce((sum, fee) => sum + fee.amountCents, 0);
  if (!Number.isSafeInteger(total)) return err(validation({ fees: ['value_is_out_of_range'] }));
  return ok(fees);
}
