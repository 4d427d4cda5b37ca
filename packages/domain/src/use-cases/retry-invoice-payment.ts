import { notFound } from '../errors.js';
import { reopenForCollection } from '../machines/invoice-machine.js';
import type { Invoice } from '../model/invoice.js';
import { err, ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import type { InvoiceRef } from './steps/references.js';
import { publishPaymentFailure } from './steps/settle-payment.js';
import type { UseCase } from './steps/use-case-context.js';

export type RetryInvoicePaymentInput = InvoiceRef;

/**
 * "Resend for collection" (Lago's `retry_payment`): refused with Lago's 405 codes unless the invoice
 * is finalized, unpaid, idle and not dispute-lost. A customer without a provider gets Lago's
 * `invoice.payment_failure` with `customer_must_have_payment_provider` instead of a charge.
 */
export const retryInvoicePayment: UseCase<RetryInvoicePaymentInput, Invoice> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const invoice = await tx.invoices.findById(input.invoiceId);
    if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
    const reopened = reopenForCollection(invoice, ctx.clock.now());
    if (!reopened.ok) return reopened;

    const customer = await tx.customers.findById(invoice.customerId);
    if (!customer || customer.billing.provider === 'none') {
      await publishPaymentFailure(ctx, tx, invoice, null, { code: 'customer_must_have_payment_provider' });
      return ok(invoice);
    }
    const stored = reopened.value === invoice ? invoice : await tx.invoices.update(reopened.value);
    await tx.jobs.enqueue({
      name: 'payment.collect',
      payload: { organizationId: stored.organizationId, invoiceId: stored.id },
      dedupeKey: `payment.collect:${stored.id}`,
    });
    return ok(stored);
  });
