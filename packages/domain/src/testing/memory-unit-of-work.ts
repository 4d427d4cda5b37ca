import type { OutgoingEvent } from '../events.js';
import type { AddOn } from '../model/add-on.js';
import type { CreditNote } from '../model/credit-note.js';
import type { Customer } from '../model/customer.js';
import type { FinalizedInvoice, Invoice } from '../model/invoice.js';
import type { ManualPayment } from '../model/manual-payment.js';
import type { Organization } from '../model/organization.js';
import type { Payment } from '../model/payment.js';
import type { PaymentMethod } from '../model/payment-method.js';
import type { PaymentRequest } from '../model/payment-request.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { JobRequest } from '../ports/jobs.js';
import type { SequenceScope } from '../ports/repositories.js';
import type { Tx, UnitOfWork } from '../ports/unit-of-work.js';
import type { InMemoryStore } from './memory-store.js';
import { TxTable } from './memory-table.js';

const IN_FLIGHT: readonly Payment['status'][] = ['pending', 'requires_action', 'processing'];
const byNewest = <T extends { createdAt: Date }>(a: T, b: T) => b.createdAt.getTime() - a.createdAt.getTime();
const byOldest = <T extends { createdAt: Date }>(a: T, b: T) => a.createdAt.getTime() - b.createdAt.getTime();

/**
 * The unit of work over `InMemoryStore`: each `run` works on a snapshot, and commits only if no
 * row it wrote was changed by another transaction meanwhile (then `VersionConflictError`).
 * Jobs and events become visible at commit; a thrown error rolls everything back.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  constructor(readonly store: InMemoryStore) {}

  async run<T>(_organizationId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const s = this.store;
    const tables = {
      organizations: new TxTable('organization', s.organizations, []),
      stripeConnections: new TxTable<StripeConnection>('stripe_connection', s.stripeConnections, [
        { field: 'code', key: (c) => `${c.organizationId}/${c.code}` },
      ]),
      customers: new TxTable<Customer>('customer', s.customers, [
        { field: 'external_id', key: (c) => (c.deletedAt ? null : `${c.organizationId}/${c.externalId}`) },
      ]),
      paymentMethods: new TxTable<PaymentMethod>('payment_method', s.paymentMethods, [
        { field: 'provider_payment_method_id', key: (m) => `${m.customerId}/${m.providerPaymentMethodId}` },
      ]),
      addOns: new TxTable<AddOn>('add_on', s.addOns, [
        { field: 'code', key: (a) => (a.deletedAt ? null : `${a.organizationId}/${a.code}`) },
      ]),
      invoices: new TxTable<Invoice>('invoice', s.invoices, []),
      payments: new TxTable<Payment>('payment', s.payments, [
        {
          field: 'provider_payment_id',
          key: (p) => (p.providerPaymentId ? `${p.connectionId}/${p.providerPaymentId}` : null),
        },
        {
          field: 'invoice_id',
          // At most one attempt in flight per invoice, as a partial unique index would enforce.
          key: (p) => (p.status === 'succeeded' || p.status === 'failed' ? null : p.invoiceId),
        },
      ]),
      creditNotes: new TxTable<CreditNote>('credit_note', s.creditNotes, []),
      paymentRequests: new TxTable<PaymentRequest>('payment_request', s.paymentRequests, []),
      manualPayments: new TxTable<ManualPayment>('manual_payment', s.manualPayments, []),
    };
    const jobs: JobRequest[] = [];
    const events: OutgoingEvent[] = [];
    const tx = buildTx(tables, s, jobs, events);
    try {
      const result = await fn(tx);
      for (const table of Object.values(tables)) table.verify();
      for (const table of Object.values(tables)) table.apply();
      for (const job of jobs) {
        const deduplicated = job.dedupeKey !== undefined && s.liveDedupeKeys.has(job.dedupeKey);
        if (job.dedupeKey && !deduplicated) s.liveDedupeKeys.add(job.dedupeKey);
        s.jobs.push({ job, enqueuedAt: s.jobs.length, deduplicated });
      }
      s.events.push(...events);
      s.commits += 1;
      return result;
    } catch (error) {
      s.rollbacks += 1;
      throw error;
    }
  }
}

type Tables = {
  organizations: TxTable<Organization>;
  stripeConnections: TxTable<StripeConnection>;
  customers: TxTable<Customer>;
  paymentMethods: TxTable<PaymentMethod>;
  addOns: TxTable<AddOn>;
  invoices: TxTable<Invoice>;
  payments: TxTable<Payment>;
  creditNotes: TxTable<CreditNote>;
  paymentRequests: TxTable<PaymentRequest>;
  manualPayments: TxTable<ManualPayment>;
};

function buildTx(t: Tables, s: InMemoryStore, jobs: JobRequest[], events: OutgoingEvent[]): Tx {
  const live = <T extends { deletedAt: Date | null }>(row: T | null) =>
    row && row.deletedAt === null ? row : null;
  return {
    organizations: { findById: async (id) => t.organizations.get(id) },
    stripeConnections: {
      insert: async (c) => t.stripeConnections.insert(c),
      update: async (c) => t.stripeConnections.update(c),
      delete: async (c) => t.stripeConnections.delete(c),
      hasPayments: async (id) => t.payments.find((p) => p.connectionId === id) !== null,
      findById: async (id) => t.stripeConnections.get(id),
      findByCode: async (org, code) =>
        t.stripeConnections.find((c) => c.organizationId === org && c.code === code),
      listByOrganization: async (org) =>
        t.stripeConnections.filter((c) => c.organizationId === org).sort(byOldest),
      claimForDisputeCheck: async (q) => {
        const dueAt = (c: StripeConnection) => s.disputeChecks.get(c.id)?.getTime() ?? 0;
        const due = t.stripeConnections
          .filter((c) => dueAt(c) <= q.now.getTime())
          .sort((a, b) => dueAt(a) - dueAt(b) || a.id.localeCompare(b.id))
          .slice(0, q.limit);
        for (const c of due) s.disputeChecks.set(c.id, new Date(q.now.getTime() + q.everyMs));
        return due;
      },
      disputesCheckedUntil: async (id) => s.disputeCursors.get(id) ?? null,
      recordDisputesChecked: async (id, until) => {
        const current = s.disputeCursors.get(id);
        if (!current || current < until) s.disputeCursors.set(id, until);
      },
    },
    customers: {
      insert: async (c) => t.customers.insert(c),
      update: async (c) => t.customers.update(c),
      findById: async (id) => t.customers.get(id),
      findByIds: async (ids) => t.customers.filter((c) => ids.includes(c.id)),
      findByExternalId: async (org, ext) =>
        t.customers.find((c) => c.organizationId === org && c.externalId === ext && c.deletedAt === null),
      findByProviderCustomerId: async (connectionId, pcid) =>
        live(
          t.customers.find(
            (c) =>
              c.billing.provider === 'stripe' &&
              c.billing.connectionId === connectionId &&
              c.billing.providerCustomer.status === 'linked' &&
              c.billing.providerCustomer.providerCustomerId === pcid,
          ),
        ),
      listByConnection: async (connectionId) =>
        t.customers.filter((c) => c.billing.provider === 'stripe' && c.billing.connectionId === connectionId),
    },
    paymentMethods: {
      insert: async (m) => t.paymentMethods.insert(m),
      update: async (m) => t.paymentMethods.update(m),
      findById: async (id) => t.paymentMethods.get(id),
      findByProviderId: async (customerId, pmId) =>
        t.paymentMethods.find((m) => m.customerId === customerId && m.providerPaymentMethodId === pmId),
      listByCustomer: async (customerId) =>
        t.paymentMethods.filter((m) => m.customerId === customerId && m.deletedAt === null).sort(byNewest),
      deleteAllOfConnection: async (connectionId) => {
        for (const m of t.paymentMethods.filter((pm) => pm.connectionId === connectionId))
          t.paymentMethods.delete(m);
      },
    },
    addOns: {
      insert: async (a) => t.addOns.insert(a),
      update: async (a) => t.addOns.update(a),
      findById: async (id) => t.addOns.get(id),
      findByCode: async (org, code) =>
        t.addOns.find((a) => a.organizationId === org && a.code === code && a.deletedAt === null),
    },
    invoices: {
      insert: async (i) => t.invoices.insert(i),
      update: async (i) => t.invoices.update(i),
      findById: async (id) => t.invoices.get(id),
      findByIds: async (ids) => ids.flatMap((id) => t.invoices.get(id) ?? []),
      listAwaitingCollection: async (customerId) =>
        t.invoices
          .filter(
            (i): i is FinalizedInvoice =>
              i.customerId === customerId &&
              i.status === 'finalized' &&
              i.paymentDisputeLostAt === null &&
              i.payment.status === 'pending' &&
              i.payment.inFlightPaymentId === null,
          )
          .sort(byOldest),
      claimForPaymentMethodCheck: async (q) => {
        const waiting = new Map<string, FinalizedInvoice[]>();
        for (const i of t.invoices.filter(
          (i): i is FinalizedInvoice =>
            i.status === 'finalized' &&
            i.paymentDisputeLostAt === null &&
            i.payment.status === 'pending' &&
            i.payment.inFlightPaymentId === null &&
            (i.payment.waitingFor === 'no_payment_method' || i.payment.waitingFor === null),
        )) {
          waiting.set(i.customerId, [...(waiting.get(i.customerId) ?? []), i]);
        }
        const candidates = [...waiting.entries()].map(([customerId, invoices]) => {
          const since = Math.max(...invoices.map((i) => i.updatedAt.getTime()));
          const check = s.methodChecks.get(customerId);
          const fresh = !check || since > check.lastAt.getTime();
          return {
            customerId,
            invoice: [...invoices].sort(byOldest)[0] as FinalizedInvoice,
            dueAt: fresh ? since + q.firstCheckAfterMs : check.dueAt.getTime(),
            checks: fresh ? 0 : check.checks,
          };
        });
        const due = candidates
          .filter((c) => c.dueAt <= q.now.getTime())
          .sort((a, b) => a.dueAt - b.dueAt || a.customerId.localeCompare(b.customerId));
        const perOrganization = new Map<string, number>();
        const claimed: { organizationId: string; customerId: string; invoiceId: string }[] = [];
        for (const c of due) {
          if (claimed.length >= q.limit) break;
          const org = c.invoice.organizationId;
          const taken = perOrganization.get(org) ?? 0;
          if (taken >= q.perOrganization) continue;
          perOrganization.set(org, taken + 1);
          claimed.push({ organizationId: org, customerId: c.customerId, invoiceId: c.invoice.id });
          const wait = Math.min(q.maxIntervalMs, q.firstCheckAfterMs * 2 ** c.checks);
          s.methodChecks.set(c.customerId, {
            dueAt: new Date(q.now.getTime() + wait),
            checks: c.checks + 1,
            lastAt: q.now,
          });
        }
        return claimed;
      },
    },
    payments: {
      insert: async (p) => t.payments.insert(p),
      update: async (p) => t.payments.update(p),
      findById: async (id) => t.payments.get(id),
      findByProviderPaymentId: async (connectionId, pid) =>
        t.payments.find((p) => p.connectionId === connectionId && p.providerPaymentId === pid),
      findInFlightForInvoice: async (invoiceId) => {
        const p = t.payments.find(
          (x) => x.invoiceId === invoiceId && x.status !== 'succeeded' && x.status !== 'failed',
        );
        return p && p.status !== 'succeeded' && p.status !== 'failed' ? p : null;
      },
      findInFlightForCustomer: async (customerId) => {
        const p = t.payments.find(
          (x) => x.customerId === customerId && x.status !== 'succeeded' && x.status !== 'failed',
        );
        return p && p.status !== 'succeeded' && p.status !== 'failed' ? p : null;
      },
      findInFlightForConnection: async (connectionId) => {
        const p = t.payments.find(
          (x) => x.connectionId === connectionId && x.status !== 'succeeded' && x.status !== 'failed',
        );
        return p && p.status !== 'succeeded' && p.status !== 'failed' ? p : null;
      },
      listByInvoice: async (invoiceId) => t.payments.filter((p) => p.invoiceId === invoiceId).sort(byOldest),
      claimForReconciliation: async (q) => {
        const dueAt = (p: Payment) =>
          s.reconcileChecks.get(p.id)?.dueAt.getTime() ?? p.updatedAt.getTime() + q.firstCheckAfterMs;
        const due = t.payments
          .filter((p) => IN_FLIGHT.includes(p.status) && dueAt(p) <= q.now.getTime())
          .sort((a, b) => dueAt(a) - dueAt(b) || a.id.localeCompare(b.id));
        const perOrganization = new Map<string, number>();
        const claimed: Payment[] = [];
        for (const p of due) {
          if (claimed.length >= q.limit) break;
          const taken = perOrganization.get(p.organizationId) ?? 0;
          if (taken >= q.perOrganization) continue;
          perOrganization.set(p.organizationId, taken + 1);
          claimed.push(p);
          const checks = s.reconcileChecks.get(p.id)?.checks ?? 0;
          const wait = Math.min(q.maxIntervalMs, q.firstCheckAfterMs * 2 ** checks);
          s.reconcileChecks.set(p.id, { dueAt: new Date(q.now.getTime() + wait), checks: checks + 1 });
        }
        return claimed;
      },
    },
    paymentRequests: {
      insert: async (r) => t.paymentRequests.insert(r),
      update: async (r) => t.paymentRequests.update(r),
      findById: async (id) => t.paymentRequests.get(id),
    },
    manualPayments: {
      insert: async (m) => t.manualPayments.insert(m),
      update: async (m) => t.manualPayments.update(m),
      findById: async (id) => t.manualPayments.get(id),
      listByInvoice: async (invoiceId) =>
        t.manualPayments.filter((m) => m.invoiceId === invoiceId).sort(byOldest),
    },
    creditNotes: {
      insert: async (c) => t.creditNotes.insert(c),
      update: async (c) => t.creditNotes.update(c),
      findById: async (id) => t.creditNotes.get(id),
      findByRefundId: async (refundId) => t.creditNotes.find((c) => c.refund?.id === refundId),
      findByProviderRefundId: async (rid) => t.creditNotes.find((c) => c.refund?.providerRefundId === rid),
      listByInvoice: async (invoiceId) =>
        t.creditNotes.filter((c) => c.invoiceId === invoiceId).sort(byOldest),
    },
    sequences: {
      // Like database sequences, counters are not rolled back.
      next: async (scope: SequenceScope) => {
        const key =
          scope.kind === 'customer'
            ? `customer/${scope.organizationId}`
            : scope.kind === 'invoice'
              ? `invoice/${scope.customerId}`
              : `credit_note/${scope.invoiceId}`;
        const value = (s.sequences.get(key) ?? 0) + 1;
        s.sequences.set(key, value);
        return value;
      },
    },
    jobs: { enqueue: async (job) => void jobs.push(job) },
    outbox: { publish: async (event) => void events.push(event) },
  };
}
