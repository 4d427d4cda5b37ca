import type { OutgoingEvent } from '../events.js';
import type { AddOn } from '../model/add-on.js';
import type { CreditNote } from '../model/credit-note.js';
import type { Customer } from '../model/customer.js';
import type { Invoice } from '../model/invoice.js';
import type { ManualPayment } from '../model/manual-payment.js';
import type { Organization } from '../model/organization.js';
import type { Payment } from '../model/payment.js';
import type { PaymentMethod } from '../model/payment-method.js';
import type { PaymentRequest } from '../model/payment-request.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { JobRequest } from '../ports/jobs.js';

export interface EnqueuedJob {
  readonly job: JobRequest;
  readonly enqueuedAt: number;
  /** Set when a live job with the same dedupe key already existed (the request was absorbed). */
  readonly deduplicated: boolean;
}

/** Committed state of the in-memory adapters; tests read it directly to assert. */
export class InMemoryStore {
  readonly organizations = new Map<string, Organization>();
  readonly stripeConnections = new Map<string, StripeConnection>();
  readonly customers = new Map<string, Customer>();
  readonly paymentMethods = new Map<string, PaymentMethod>();
  readonly addOns = new Map<string, AddOn>();
  readonly invoices = new Map<string, Invoice>();
  readonly payments = new Map<string, Payment>();
  readonly paymentRequests = new Map<string, PaymentRequest>();
  /** Reconciliation bookkeeping per payment (not part of the domain object, as in the database). */
  readonly reconcileChecks = new Map<string, { readonly dueAt: Date; readonly checks: number }>();
  /** Dispute sweep bookkeeping per connection: next check, and lost disputes applied up to. */
  readonly disputeChecks = new Map<string, Date>();
  readonly disputeCursors = new Map<string, Date>();
  /** Payment-method sweep bookkeeping per customer. */
  readonly methodChecks = new Map<
    string,
    { readonly dueAt: Date; readonly checks: number; readonly lastAt: Date }
  >();
  readonly manualPayments = new Map<string, ManualPayment>();
  readonly creditNotes = new Map<string, CreditNote>();
  readonly sequences = new Map<string, number>();
  /** Every job request committed, in order (including deduplicated ones, flagged). */
  readonly jobs: EnqueuedJob[] = [];
  /** Every event published by a committed transaction, in order. */
  readonly events: OutgoingEvent[] = [];
  /** Dedupe keys of jobs not yet taken by `takeJobs`. */
  readonly liveDedupeKeys = new Set<string>();
  commits = 0;
  rollbacks = 0;

  eventsOfType<K extends OutgoingEvent['type']>(type: K): Extract<OutgoingEvent, { type: K }>[] {
    return this.events.filter((e): e is Extract<OutgoingEvent, { type: K }> => e.type === type);
  }

  jobsNamed<K extends JobRequest['name']>(name: K): Extract<JobRequest, { name: K }>[] {
    return this.jobs
      .filter((j) => !j.deduplicated && j.job.name === name)
      .map((j) => j.job as Extract<JobRequest, { name: K }>);
  }

  /** Hands pending jobs to a test "worker" and frees their dedupe keys, like a queue would. */
  takeJobs(): JobRequest[] {
    const taken = this.jobs.slice(this.#taken).filter((j) => !j.deduplicated);
    this.#taken = this.jobs.length;
    for (const j of taken) if (j.job.dedupeKey) this.liveDedupeKeys.delete(j.job.dedupeKey);
    return taken.map((j) => j.job);
  }

  #taken = 0;
}
