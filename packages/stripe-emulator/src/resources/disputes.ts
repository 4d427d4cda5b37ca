/**
 * Disputes. Dispute test instruments open one as soon as their charge succeeds; evidence with
 * `uncategorized_text` `winning_evidence` / `losing_evidence` closes it won / lost, as in
 * Stripe's test mode. `close` accepts the loss.
 */
import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { invalidRequest } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import { createdFilter, newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, bool, expandList, hash, metadata, nullableStr, str } from '../params.js';
import { getDispute } from './lookup.js';

const EVIDENCE_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
] as const;

type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

const DUE_SECONDS = 7 * 24 * 3600;

function emptyEvidence(): Stripe.Dispute.Evidence {
  const evidence = { enhanced_evidence: {} } as Record<string, unknown>;
  for (const f of EVIDENCE_FIELDS) evidence[f] = null;
  return evidence as unknown as Stripe.Dispute.Evidence;
}

export function openDispute(
  ctx: Ctx,
  charge: Stripe.Charge,
  reason: string,
  inquiry: boolean,
): Stripe.Dispute {
  const now = ctx.emu.clock.now();
  const dispute = {
    id: newId('du'),
    object: 'dispute',
    amount: charge.amount,
    balance_transactions: [],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: now + DUE_SECONDS,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : null,
    reason,
    status: inquiry ? 'warning_needs_response' : 'needs_response',
  } satisfies Stripe.Dispute;
  const stored: Stripe.Dispute = dispute;
  ctx.account.disputes.set(stored.id, stored);
  ctx.emu.own(ctx.account, stored.id);
  const previous = { disputed: charge.disputed };
  charge.disputed = true;
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.dispute.created', stored);
  if (!inquiry) ctx.emu.events.emit(ctx.account, ctx.source, 'charge.dispute.funds_withdrawn', stored);
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.updated', charge, previous);
  return stored;
}

function isOpen(d: Stripe.Dispute): boolean {
  return ['needs_response', 'under_review', 'warning_needs_response', 'warning_under_review'].includes(
    d.status,
  );
}

/** Final outcome of a dispute; the test control and evidence outcomes both end here. */
export function closeDispute(ctx: Ctx, dispute: Stripe.Dispute, outcome: 'won' | 'lost'): void {
  if (!isOpen(dispute))
    throw invalidRequest(`This dispute is already closed (status: ${dispute.status}).`, {
      code: 'dispute_already_closed',
    });
  const inquiry = dispute.status.startsWith('warning_');
  const previous = { status: dispute.status };
  dispute.status = inquiry ? 'warning_closed' : outcome;
  dispute.is_charge_refundable = outcome === 'won' || inquiry;
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.dispute.closed', dispute, previous);
  if (outcome === 'won' && !inquiry)
    ctx.emu.events.emit(ctx.account, ctx.source, 'charge.dispute.funds_reinstated', dispute);
}

export function renderDispute(ctx: Ctx, d: Stripe.Dispute): Stripe.Dispute {
  return expand(ctx.account, d, expandList(ctx.params));
}

export function retrieveDispute(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: renderDispute(ctx, getDispute(ctx, id)) };
}

export function updateDispute(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['evidence', 'metadata', 'submit']);
  const dispute = getDispute(ctx, id);
  const evidenceParams = hash(ctx.params, 'evidence');
  const updates: Partial<Record<EvidenceField, string | null>> = {};
  if (evidenceParams) {
    allowOnly(evidenceParams, EVIDENCE_FIELDS, 'evidence');
    for (const f of EVIDENCE_FIELDS) {
      const v = nullableStr(evidenceParams, f, 'evidence');
      if (v !== undefined) updates[f] = v;
    }
  }
  const meta = metadata(ctx.params, dispute.metadata);
  const submit = bool(ctx.params, 'submit') ?? true;
  if (!isOpen(dispute) && (evidenceParams || submit))
    throw invalidRequest(`This dispute is already closed (status: ${dispute.status}).`, {
      code: 'dispute_already_closed',
    });
  const before = JSON.parse(JSON.stringify(dispute)) as Stripe.Dispute;
  // Nested objects are replaced, never changed in place: event snapshots share them.
  const evidence: Stripe.Dispute.Evidence = { ...dispute.evidence, ...updates };
  dispute.evidence = evidence;
  if (meta !== undefined) dispute.metadata = meta;
  const submitted = submit && evidenceParams;
  dispute.evidence_details = {
    ...dispute.evidence_details,
    has_evidence: EVIDENCE_FIELDS.some((f) => evidence[f] !== null),
    ...(submitted
      ? { submission_count: dispute.evidence_details.submission_count + 1, submission_method: 'manual' }
      : {}),
  };
  if (submitted)
    dispute.status = dispute.status.startsWith('warning_') ? 'warning_under_review' : 'under_review';
  const previous: Record<string, unknown> = {};
  for (const key of ['evidence', 'evidence_details', 'metadata', 'status'] as const)
    if (JSON.stringify(before[key]) !== JSON.stringify(dispute[key])) previous[key] = before[key];
  ctx.emu.events.emit(ctx.account, ctx.source, 'charge.dispute.updated', dispute, previous);
  const text = dispute.evidence.uncategorized_text;
  if (submit && evidenceParams && (text === 'winning_evidence' || text === 'losing_evidence'))
    closeDispute(ctx, dispute, text === 'winning_evidence' ? 'won' : 'lost');
  return { body: renderDispute(ctx, dispute) };
}

export function closeDisputeRoute(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  const dispute = getDispute(ctx, id);
  closeDispute(ctx, dispute, 'lost');
  return { body: renderDispute(ctx, dispute) };
}

export function listDisputes(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'charge', 'payment_intent', 'created']);
  const charge = str(ctx.params, 'charge');
  const pi = str(ctx.params, 'payment_intent');
  let items = newestFirst(ctx.account.disputes.values()).filter(createdFilter(ctx.params));
  if (charge) items = items.filter((d) => d.charge === charge);
  if (pi) items = items.filter((d) => d.payment_intent === pi);
  return { body: expand(ctx.account, paginate(ctx.params, items, '/v1/disputes'), expandList(ctx.params)) };
}
