import { notFound } from '../errors.js';
import { recordManualPayment } from '../machines/invoice-machine.js';
import type { Id } from '../model/common.js';
import type { Invoice } from '../model/invoice.js';
import type { ManualPayment } from '../model/manual-payment.js';
import { err, ok } from '../result.js';
import { fieldError } from './steps/field-checks.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { OrganizationScoped } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export interface CreateManualPaymentInput extends OrganizationScoped {
  readonly invoiceId: Id;
  readonly amountCents: number;
  readonly reference: string;
  /** Defaults to now. */
  readonly paidAt?: Date;
}

const MAX_REFERENCE = 255;

/**
 * Lago's `POST /payments`: records money received outside Stripe against one invoice. It may not
 * exceed what is due; when nothing is due any more the invoice is paid and
 * `invoice.payment_status_updated` fires. Refused while a Stripe attempt is in flight, so the
 * customer is never charged on top of a payment that already settled the invoice.
 */
export const createManualPayment: UseCase<
  CreateManualPaymentInput,
  { readonly payment: ManualPayment; readonly invoice: Invoice }
> = async ({ ctx, input }) => {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
    return fieldError('amount_cents', 'invalid_value');
  }
  if (typeof input.reference !== 'string' || input.reference.trim() === '') {
    return fieldError('reference', 'value_is_mandatory');
  }
  if (input.reference.length > MAX_REFERENCE) return fieldError('reference', 'value_is_too_long');
  return inTx(ctx, input.organizationId, async (tx) => {
    const invoice = await tx.invoices.findById(input.invoiceId);
    if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
    const now = ctx.clock.now();
    const payment: ManualPayment = {
      id: ctx.ids.next('payment'),
      organizationId: invoice.organizationId,
      invoiceId: invoice.id,
      customerId: invoice.customerId,
      amountCents: input.amountCents,
      currency: invoice.currency,
      reference: input.reference.trim(),
      paidAt: input.paidAt ?? now,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const recorded = recordManualPayment(invoice, payment, now);
    if (!recorded.ok) return recorded;
    await tx.manualPayments.insert(payment);
    const stored = await tx.invoices.update(recorded.value.invoice);
    if (recorded.value.changed) {
      await tx.outbox.publish(
        newEvent(ctx, stored.organizationId, 'invoice.payment_status_updated', {
          lago_invoice_id: stored.id,
        }),
      );
    }
    return ok({ payment, invoice: stored });
  });
};
