/**
 * What must hold once the run is quiet, checked against the emulator's own records (its API and
 * test controls) and Payrail's rows. Each violation is counted and described in `findings`.
 */
import type { Database } from '@payrail/persistence';
import type { EmulatorControls } from '@payrail/stripe-emulator';
import { uniqueKey } from '@payrail/worker';
import type Stripe from 'stripe';
import type { MerchantReceiver, WebhookProxy } from './proxies.js';

export interface Checked {
  readonly doubleCharges: number;
  /** Charged above what was due, or refunded above what was charged. */
  readonly overcharges: number;
  readonly stuck: number;
  /** Stripe events delivered but not processed, and outgoing events never delivered. */
  readonly lostEvents: number;
  readonly stateMismatches: number;
  readonly serverErrorsOutsideOutages: number;
  readonly findings: readonly string[];
}

export interface CheckInput {
  readonly stripe: Stripe;
  readonly controls: EmulatorControls;
  readonly db: Database;
  readonly organizationId: string;
  readonly webhookProxy: WebhookProxy;
  readonly merchant: MerchantReceiver;
  readonly serverErrors: readonly { at: number; what: string }[];
  readonly quiescedAt: number;
}

interface InvoiceRow {
  id: string;
  number: string | null;
  status: string;
  payment_status: string;
  total_amount_cents: string;
  total_paid_amount_cents: string;
  credited_offset_cents: string;
  in_flight_payment_id: string | null;
  payment_waiting_for: string | null;
}
interface PaymentRow {
  id: string;
  invoice_id: string;
  status: string;
  provider_payment_id: string | null;
  amount_cents: string;
}

/** The payment status Payrail must show for a PaymentIntent in this state. */
function expectedPaymentStatus(pi: Stripe.PaymentIntent): string {
  switch (pi.status) {
    case 'succeeded':
      return 'succeeded';
    case 'processing':
      return 'processing';
    case 'requires_action':
      return 'requires_action';
    case 'requires_payment_method':
    case 'canceled':
      return 'failed';
    default:
      return pi.status;
  }
}

export async function checkInvariants(input: CheckInput): Promise<Checked> {
  const findings: string[] = [];
  const sql = input.db.orm.em.getConnection();
  const org = input.organizationId;

  const intents: Stripe.PaymentIntent[] = [];
  for await (const pi of input.stripe.paymentIntents.list({ limit: 100 })) intents.push(pi);
  const refunds: Stripe.Refund[] = [];
  for await (const r of input.stripe.refunds.list({ limit: 100 })) refunds.push(r);

  const invoices = (await sql.execute(
    `select id, number, status, payment_status, total_amount_cents, total_paid_amount_cents, credited_offset_cents,
            in_flight_payment_id, payment_waiting_for from invoices where organization_id = ?`,
    [org],
  )) as InvoiceRow[];
  const payments = (await sql.execute(
    'select id, invoice_id, status, provider_payment_id, amount_cents from payments where organization_id = ?',
    [org],
  )) as PaymentRow[];
  const invoiceById = new Map(invoices.map((i) => [i.id, i]));
  const paymentById = new Map(payments.map((p) => [p.id, p]));
  const intentById = new Map(intents.map((pi) => [pi.id, pi]));
  const label = (inv: InvoiceRow | undefined, id: string) => `invoice ${inv?.number ?? '?'} (${id})`;

  // 1. At most one successful charge per invoice, never above what was due.
  let doubleCharges = 0;
  let overcharges = 0;
  const succeededBy = new Map<string, Stripe.PaymentIntent[]>();
  for (const pi of intents) {
    const invoiceId = pi.metadata?.lago_invoice_id;
    if (!invoiceId) continue;
    if (pi.status === 'succeeded') succeededBy.set(invoiceId, [...(succeededBy.get(invoiceId) ?? []), pi]);
  }
  const offsets = (await sql.execute(
    `select invoice_id, number, offset_amount_cents, created_at from credit_notes
      where organization_id = ? and offset_amount_cents > 0`,
    [org],
  )) as { invoice_id: string; number: string; offset_amount_cents: string; created_at: Date }[];
  const manualRows = (await sql.execute(
    'select invoice_id, amount_cents, created_at from manual_payments where organization_id = ?',
    [org],
  )) as { invoice_id: string; amount_cents: string; created_at: Date }[];
  const paymentTimes = (await sql.execute(
    'select id, created_at, succeeded_at from payments where organization_id = ?',
    [org],
  )) as { id: string; created_at: Date; succeeded_at: Date | null }[];
  // Raw rows may carry timestamps as text.
  const paymentTime = new Map(
    paymentTimes.map((p) => [
      p.id,
      {
        created_at: new Date(p.created_at),
        succeeded_at: p.succeeded_at === null ? null : new Date(p.succeeded_at),
      },
    ]),
  );
  const reductions = (invoiceId: string) => [
    ...offsets
      .filter((o) => o.invoice_id === invoiceId)
      .map((o) => ({
        what: `offset credit note ${o.number}`,
        cents: Number(o.offset_amount_cents),
        at: new Date(o.created_at),
      })),
    ...manualRows
      .filter((m) => m.invoice_id === invoiceId)
      .map((m) => ({ what: 'manual payment', cents: Number(m.amount_cents), at: new Date(m.created_at) })),
  ];
  for (const [invoiceId, charged] of succeededBy) {
    const inv = invoiceById.get(invoiceId);
    if (charged.length > 1) {
      doubleCharges += charged.length - 1;
      findings.push(
        `double charge: ${label(inv, invoiceId)} has ${charged.length} succeeded PaymentIntents at the emulator: ${charged
          .map(
            (pi) => `${pi.id} ${pi.amount} ${pi.currency} (lago_payment_id ${pi.metadata.lago_payment_id})`,
          )
          .join(', ')}`,
      );
    }
    if (!inv) continue;
    const total = Number(inv.total_amount_cents);
    const cuts = reductions(invoiceId);
    // What was due when each charge was prepared (its payment row's creation).
    let overAtCharge = false;
    for (const pi of charged) {
      const payment = paymentTime.get(pi.metadata.lago_payment_id ?? '');
      if (!payment) continue;
      const before = cuts.filter((c) => c.at.getTime() < payment.created_at.getTime());
      const due = total - before.reduce((a, c) => a + c.cents, 0);
      if (pi.amount > due) {
        overAtCharge = true;
        findings.push(
          `overcharge: ${label(inv, invoiceId)} total ${total}, ${before.map((c) => `${c.what} ${c.cents}`).join(', ')} before the charge, so ${due} was due at ${payment.created_at.toISOString()}, but ${pi.id} charged ${pi.amount}`,
        );
      }
    }
    const sum = charged.reduce((a, pi) => a + pi.amount, 0);
    const dueNow = total - cuts.reduce((a, c) => a + c.cents, 0);
    if (overAtCharge) {
      overcharges += 1;
    } else if (sum > dueNow) {
      // Due was right when charged, but Payrail then accepted an offset or a manual payment on
      // money already taken or in flight: the customer pays more than the invoice asks.
      overcharges += 1;
      const payments = charged
        .map((pi) => {
          const t = paymentTime.get(pi.metadata.lago_payment_id ?? '');
          return `${pi.id} ${pi.amount} (payment created ${t?.created_at.toISOString()}, succeeded ${t?.succeeded_at?.toISOString() ?? 'not recorded'})`;
        })
        .join(', ');
      findings.push(
        `overpaid: ${label(inv, invoiceId)} total ${total}; charged ${payments}; then accepted ${cuts
          .map((c) => `${c.what} ${c.cents} at ${c.at.toISOString()}`)
          .join(', ')}, leaving ${dueNow} due against ${sum} taken`,
      );
    }
  }
  // Refunds never above what was charged.
  const refundedBy = new Map<string, number>();
  for (const r of refunds) {
    if (r.status === 'failed' || r.status === 'canceled' || typeof r.payment_intent !== 'string') continue;
    refundedBy.set(r.payment_intent, (refundedBy.get(r.payment_intent) ?? 0) + r.amount);
  }
  for (const [piId, refunded] of refundedBy) {
    const pi = intentById.get(piId);
    if (pi && refunded > pi.amount_received) {
      overcharges += 1;
      findings.push(`over-refund: ${piId} received ${pi.amount_received}, refunded ${refunded}`);
    }
  }

  // 2. Every payment's state equals its PaymentIntent's; the invoice follows a success.
  let stateMismatches = 0;
  for (const p of payments) {
    if (!p.provider_payment_id) continue;
    const pi = intentById.get(p.provider_payment_id);
    if (!pi) {
      stateMismatches += 1;
      findings.push(
        `state mismatch: payment ${p.id} names ${p.provider_payment_id}, which the emulator does not have`,
      );
      continue;
    }
    const expected = expectedPaymentStatus(pi);
    if (expected !== p.status) {
      stateMismatches += 1;
      findings.push(
        `state mismatch: payment ${p.id} of ${label(invoiceById.get(p.invoice_id), p.invoice_id)} is ${p.status}, its PaymentIntent ${pi.id} is ${pi.status}`,
      );
    }
  }
  for (const pi of intents) {
    const paymentId = pi.metadata?.lago_payment_id;
    if (!paymentId || pi.status !== 'succeeded') continue;
    const p = paymentById.get(paymentId);
    if (!p || p.provider_payment_id !== pi.id) {
      stateMismatches += 1;
      findings.push(
        `state mismatch: ${pi.id} succeeded for payment ${paymentId}, which Payrail ${p ? `records with ${p.provider_payment_id ?? 'no PaymentIntent'} (${p.status})` : 'does not have'}`,
      );
    }
    const invoiceId = pi.metadata.lago_invoice_id;
    const inv = invoiceId ? invoiceById.get(invoiceId) : undefined;
    if (inv && inv.payment_status !== 'succeeded') {
      stateMismatches += 1;
      findings.push(
        `state mismatch: ${label(inv, inv.id)} is ${inv.status}/${inv.payment_status} though ${pi.id} succeeded for ${pi.amount}`,
      );
    }
  }

  // 3. Every invoice settled, failed, voided, or waiting with a recorded reason; no pending
  //    payment detached from its invoice.
  let stuck = 0;
  for (const inv of invoices) {
    if (inv.status !== 'finalized' || inv.payment_status !== 'pending') continue;
    const due =
      Number(inv.total_amount_cents) -
      Number(inv.total_paid_amount_cents) -
      Number(inv.credited_offset_cents);
    if (due <= 0 || inv.payment_waiting_for !== null) continue;
    const inFlight = inv.in_flight_payment_id ? paymentById.get(inv.in_flight_payment_id) : undefined;
    const pi = inFlight?.provider_payment_id ? intentById.get(inFlight.provider_payment_id) : undefined;
    if (pi && (pi.status === 'processing' || pi.status === 'requires_action')) continue;
    stuck += 1;
    findings.push(
      `stuck: ${label(inv, inv.id)} pending with ${due} due and no reason; in flight ${inv.in_flight_payment_id ?? 'none'}${inFlight ? ` (${inFlight.status}, ${inFlight.provider_payment_id ?? 'no PaymentIntent'}${pi ? ` ${pi.status}` : ''})` : ''}`,
    );
  }
  for (const p of payments) {
    if (p.status !== 'pending' && p.status !== 'processing' && p.status !== 'requires_action') continue;
    const inv = invoiceById.get(p.invoice_id);
    if (inv?.in_flight_payment_id !== p.id) {
      stuck += 1;
      findings.push(
        `stuck: payment ${p.id} is ${p.status} but ${label(inv, p.invoice_id)} has ${inv?.in_flight_payment_id ?? 'nothing'} in flight`,
      );
    }
  }

  // 4. Every Stripe event that reached the receiver was processed (the inbox keeps one row per event).
  let lostEvents = 0;
  const inbox = (await sql.execute(
    'select stripe_event_id, processed_at, outcome from stripe_inbox_events where organization_id = ?',
    [org],
  )) as { stripe_event_id: string; processed_at: Date | null; outcome: string | null }[];
  const inboxBy = new Map(inbox.map((r) => [r.stripe_event_id, r]));
  const accepted = new Set(
    input.webhookProxy.forwarded.filter((f) => f.status >= 200 && f.status < 300).map((f) => f.eventId),
  );
  for (const eventId of accepted) {
    const row = inboxBy.get(eventId);
    if (!row) {
      lostEvents += 1;
      findings.push(`lost event: ${eventId} was answered 2xx by the receiver but is not in the inbox`);
    }
  }
  for (const row of inbox) {
    if (row.processed_at === null) {
      lostEvents += 1;
      findings.push(`lost event: ${row.stripe_event_id} is in the inbox but was never processed`);
    }
  }
  // Every outgoing event reached the merchant once the receiver was back.
  const endpoints = (await sql.execute('select id from webhook_endpoints where organization_id = ?', [
    org,
  ])) as {
    id: string;
  }[];
  const events = (await sql.execute('select id, webhook_type from webhook_events where organization_id = ?', [
    org,
  ])) as { id: string; webhook_type: string }[];
  for (const event of events) {
    for (const endpoint of endpoints) {
      if (!input.merchant.received.has(uniqueKey(event.id, endpoint.id))) {
        lostEvents += 1;
        findings.push(`lost outgoing webhook: ${event.webhook_type} ${event.id} never reached the merchant`);
      }
    }
  }

  for (const e of input.serverErrors) findings.push(`5xx at ${new Date(e.at).toISOString()}: ${e.what}`);

  return {
    doubleCharges,
    overcharges,
    stuck,
    lostEvents,
    stateMismatches,
    serverErrorsOutsideOutages: input.serverErrors.length,
    findings,
  };
}
