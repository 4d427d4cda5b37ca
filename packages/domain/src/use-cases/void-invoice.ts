import { notFound } from '../errors.js';
import { voidInvoice as voidTransition } from '../machines/invoice-machine.js';
import type { VoidedInvoice } from '../model/invoice.js';
import { err, ok } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { InvoiceRef } from './steps/references.js';
import type { UseCase } from './steps/use-case-context.js';

export type VoidInvoiceInput = InvoiceRef;

export const voidInvoice: UseCase<VoidInvoiceInput, VoidedInvoice> = async ({ ctx, input }) =>
  inTx(ctx, input.organizationId, async (tx) => {
    const invoice = await tx.invoices.findById(input.invoiceId);
    if (!invoice || invoice.organizationId !== input.organizationId) return err(notFound('invoice'));
    const voided = voidTransition(invoice, ctx.clock.now());
    if (!voided.ok) return voided;
    const stored = (await tx.invoices.update(voided.value)) as VoidedInvoice;
    await tx.outbox.publish(
      newEvent(ctx, stored.organizationId, 'invoice.voided', { lago_invoice_id: stored.id }),
    );
    return ok(stored);
  });
