import { EVENT_TYPES, type EventType, type OutgoingEvent, type UnitOfWork } from '@payrail/domain';
import {
  buildWebhookPayload,
  type RenderedObjects,
  serializeCreditNote,
  serializeCustomer,
  serializeInvoiceExtended,
  serializePayment,
  serializePaymentRequest,
  webhookObjectNeed,
} from '@payrail/lago-wire';
import type { ReadScope, ReadTx } from '@payrail/persistence';
import type { PayloadRenderer, RenderedOrganization, StoredWebhookEvent } from './ports.js';

/**
 * Lago renders the object an event is about when it sends the webhook; so does this renderer:
 * it loads the current invoice, customer, payment or credit note and serializes it with
 * `@payrail/lago-wire`, the same serializers the API answers with. Given a `ReadScope` it reads
 * without a transaction (no snapshot is needed: each object is read once, as it is now), saving
 * every delivery its BEGIN and COMMIT.
 */
export function lagoPayloadRenderer(source: UnitOfWork | ReadScope): PayloadRenderer {
  return async (stored, organization) => {
    const event = toOutgoingEvent(stored);
    const need = webhookObjectNeed(event);
    const load = (reads: Reads) =>
      loadObjects(reads, stored.organizationId, need as Need, organization ?? null);
    const objects =
      need === null
        ? {}
        : 'read' in source
          ? await source.read(stored.organizationId, load)
          : await source.run(stored.organizationId, load);
    return buildWebhookPayload(event, objects);
  };
}

export function toOutgoingEvent(stored: StoredWebhookEvent): OutgoingEvent {
  if (!EVENT_TYPES.includes(stored.webhookType as EventType)) {
    throw new TypeError(`unknown webhook type ${stored.webhookType}`);
  }
  return {
    id: stored.id,
    organizationId: stored.organizationId,
    occurredAt: stored.createdAt,
    type: stored.webhookType,
    objectType: stored.objectType,
    data: stored.payload,
  } as unknown as OutgoingEvent;
}

type Need = NonNullable<ReturnType<typeof webhookObjectNeed>>;
/** The reads rendering needs: a transaction's repositories or a `ReadScope`'s. */
type Reads = Pick<
  ReadTx,
  | 'organizations'
  | 'customers'
  | 'stripeConnections'
  | 'invoices'
  | 'payments'
  | 'paymentMethods'
  | 'creditNotes'
  | 'paymentRequests'
>;

async function loadObjects(
  tx: Reads,
  organizationId: string,
  need: Need,
  known: RenderedOrganization | null,
): Promise<RenderedObjects> {
  const organization = known ?? (await tx.organizations.findById(organizationId));
  if (organization === null) throw new Error(`organization ${organizationId} not found`);
  const prefix = organization.documentNumberPrefix;

  const customerOf = async (customerId: string) => {
    const customer = await tx.customers.findById(customerId);
    if (customer === null) throw new Error(`customer ${customerId} not found`);
    const connectionCode =
      customer.billing.provider === 'stripe'
        ? (known?.connectionCodes?.get(customer.billing.connectionId) ??
          (await tx.stripeConnections.findById(customer.billing.connectionId))?.code ??
          null)
        : null;
    return {
      customer,
      connectionCode,
      wire: serializeCustomer(customer, { connectionCode, documentNumberPrefix: prefix }),
    };
  };
  const invoiceOf = async (invoiceId: string) => {
    const invoice = await tx.invoices.findById(invoiceId);
    if (invoice === null) throw new Error(`invoice ${invoiceId} not found`);
    return invoice;
  };

  switch (need.kind) {
    case 'customer':
      return { customer: (await customerOf(need.id)).wire };
    case 'invoice': {
      const invoice = await invoiceOf(need.id);
      const { wire } = await customerOf(invoice.customerId);
      return { invoice: serializeInvoiceExtended(invoice, { customer: wire, documentNumberPrefix: prefix }) };
    }
    case 'payment': {
      const payment = await tx.payments.findById(need.id);
      if (payment === null) throw new Error(`payment ${need.id} not found`);
      const invoice = await invoiceOf(payment.invoiceId);
      const { customer, connectionCode } = await customerOf(payment.customerId);
      const method =
        payment.providerPaymentMethodId === null
          ? null
          : await tx.paymentMethods.findByProviderId(customer.id, payment.providerPaymentMethodId);
      const request = payment.paymentRequestId
        ? await tx.paymentRequests.findById(payment.paymentRequestId)
        : null;
      const paid = request ? await tx.invoices.findByIds(request.items.map((item) => item.invoiceId)) : [];
      const numberOf = new Map(paid.map((i) => [i.id, i.status === 'draft' ? null : i.number]));
      return {
        payment: serializePayment(payment, {
          externalCustomerId: customer.externalId,
          invoiceNumber: invoice.status === 'draft' ? null : invoice.number,
          connectionCode,
          paymentMethodId: method?.id ?? null,
          ...(request
            ? {
                paidInvoices: {
                  ids: request.items.map((item) => item.invoiceId),
                  numbers: request.items.flatMap((item) => numberOf.get(item.invoiceId) ?? []),
                },
              }
            : {}),
        }),
      };
    }
    case 'payment_request': {
      const request = await tx.paymentRequests.findById(need.id);
      if (request === null) throw new Error(`payment request ${need.id} not found`);
      const invoices = await tx.invoices.findByIds(request.items.map((item) => item.invoiceId));
      const { wire } = await customerOf(request.customerId);
      return {
        paymentRequest: serializePaymentRequest(request, {
          customer: wire,
          invoices,
          documentNumberPrefix: prefix,
        }),
      };
    }
    case 'credit_note': {
      const note = await tx.creditNotes.findById(need.id);
      if (note === null) throw new Error(`credit note ${need.id} not found`);
      const invoice = await invoiceOf(note.invoiceId);
      const { wire } = await customerOf(note.customerId);
      return { creditNote: serializeCreditNote(note, { invoice, customer: wire }) };
    }
  }
}
