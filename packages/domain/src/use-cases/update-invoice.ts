import { type DomainError, notAllowed, notFound, type ValidationCode, validation } from '../errors.js';
import { overridePaymentStatus, replaceMetadata } from '../machines/invoice-machine.js';
import type { Invoice, InvoiceMetadataEntry, InvoicePaymentStatus } from '../model/invoice.js';
import { err, ok, type Result } from '../result.js';
import { inTx } from './steps/in-transaction.js';
import { newEvent } from './steps/new-event.js';
import type { InvoiceRef } from './steps/references.js';
import type { UseCase, UseCaseContext } from './steps/use-case-context.js';

export interface UpdateInvoiceInput extends InvoiceRef {
  readonly paymentStatus?: string;
  /** Replaces the metadata; an entry with an `id` updates that entry. */
  readonly metadata?: readonly {
    readonly id?: string | null;
    readonly key: string;
    readonly value: string;
  }[];
}

const PAYMENT_STATUSES: readonly InvoicePaymentStatus[] = ['pending', 'succeeded', 'failed'];
const MAX_METADATA = 50;
const MAX_KEY = 255;
const MAX_VALUE = 4096;

/**
 * Lago's `PUT /invoices/{id}`: a manual `payment_status` and/or the metadata. A status that changes
 * raises `invoice.payment_status_updated`; everything is refused on a voided invoice.
 */
export const updateInvoice: UseCase<UpdateInvoiceInput, Invoice> = async ({ ctx, input }) => {
  const status = input.paymentStatus;
  if (status !== undefined && !PAYMENT_STATUSES.includes(status as InvoicePaymentStatus)) {
    return err(validation({ payment_status: ['value_is_invalid'] }));
  }
  const metadataError = input.metadata === undefined ? null : checkMetadata(input.metadata);
  if (metadataError) return metadataError;
  return inTx(ctx, input.organizationId, async (tx) => {
    const loaded = await tx.invoices.findById(input.invoiceId);
    if (!loaded || loaded.organizationId !== input.organizationId) return err(notFound('invoice'));
    if (loaded.status === 'voided') {
      return err(notAllowed('update_on_voided_invoice', 'a voided invoice cannot be updated'));
    }
    const now = ctx.clock.now();
    let next: Invoice = loaded;
    let statusChanged = false;
    if (status !== undefined) {
      const moved = overridePaymentStatus(next, status as InvoicePaymentStatus, now);
      if (!moved.ok) return moved;
      next = moved.value.invoice;
      statusChanged = moved.value.changed;
    }
    if (input.metadata !== undefined) {
      const replaced = replaceMetadata(next, mergeMetadata(ctx, next, input.metadata, now), now);
      if (!replaced.ok) return replaced;
      next = replaced.value;
    }
    if (next === loaded) return ok(loaded);
    const stored = await tx.invoices.update(next);
    if (statusChanged) {
      await tx.outbox.publish(
        newEvent(ctx, stored.organizationId, 'invoice.payment_status_updated', {
          lago_invoice_id: stored.id,
        }),
      );
    }
    return ok(stored);
  });
};

function checkMetadata(
  entries: NonNullable<UpdateInvoiceInput['metadata']>,
): Result<never, DomainError> | null {
  if (entries.length > MAX_METADATA) return err(validation({ metadata: ['invalid_count'] }));
  const details: Record<string, ValidationCode[]> = {};
  for (const entry of entries) {
    if (entry.key.trim() === '') details.key = ['value_is_mandatory'];
    else if (entry.key.length > MAX_KEY) details.key = ['value_is_too_long'];
    if (entry.value.length > MAX_VALUE) details.value = ['value_is_too_long'];
  }
  return Object.keys(details).length > 0 ? err(validation(details)) : null;
}

/** An entry naming one of this invoice's ids keeps it (and its creation time); any other is new. */
function mergeMetadata(
  ctx: UseCaseContext,
  invoice: Invoice,
  entries: NonNullable<UpdateInvoiceInput['metadata']>,
  at: Date,
): InvoiceMetadataEntry[] {
  const existing = new Map(invoice.metadata.map((m) => [m.id, m]));
  const kept = new Set<string>();
  return entries.map((entry) => {
    const known = entry.id ? existing.get(entry.id.toLowerCase()) : undefined;
    if (known && !kept.has(known.id)) {
      kept.add(known.id);
      return { ...known, key: entry.key, value: entry.value };
    }
    return { id: ctx.ids.next('invoice_metadata'), key: entry.key, value: entry.value, createdAt: at };
  });
}
