import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type Id, type Tx, type UnitOfWork, VersionConflictError } from '@payrail/domain';
import { fromKnex } from 'pg-boss';
import type { SecretBox } from '../crypto/secret-box.js';
import type { JobQueue } from '../queue/job-queue.js';
import { quoteIdent } from '../sql/quote.js';
import { SqlAddOnRepository } from './add-ons.js';
import { SqlCreditNoteRepository } from './credit-notes.js';
import { SqlCustomerRepository } from './customers.js';
import { SqlInvoiceRepository } from './invoices.js';
import { TransactionalJobs, TransactionalOutbox } from './jobs-and-outbox.js';
import { SqlManualPaymentRepository } from './manual-payments.js';
import { SqlOrganizationRepository } from './organizations.js';
import { SqlPaymentMethodRepository } from './payment-methods.js';
import { SqlPaymentRequestRepository } from './payment-requests.js';
import { SqlPaymentRepository } from './payments.js';
import { SqlSequenceRepository } from './sequences.js';
import { SqlStripeConnectionRepository } from './stripe-connections.js';

/** Plain SQL on a unit of work's own transaction, for adapters that must commit with its writes. */
export interface TransactionSql {
  /** Quoted `"schema"."table"`. */
  table(name: string): string;
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

const TRANSACTION_SQL = new WeakMap<Tx, TransactionSql>();

/** The SQL of the transaction `tx` belongs to; null for a `Tx` that is not a `SqlUnitOfWork`'s. */
export function transactionSql(tx: Tx): TransactionSql | null {
  return TRANSACTION_SQL.get(tx) ?? null;
}

/** A repository's reading methods (`find…`, `list…`) only. */
export type ReadsOf<R> = {
  readonly [K in keyof R as K extends `find${string}` | `list${string}` ? K : never]: R[K];
};

/** What a read outside any transaction may use: the repositories' reads, no jobs, no outbox. */
export type ReadTx = {
  readonly [K in Exclude<keyof Tx, 'jobs' | 'outbox' | 'sequences'>]: ReadsOf<Tx[K]>;
};

/** Reads that need no snapshot: each statement stands alone, no BEGIN/COMMIT around them. */
export interface ReadScope {
  read<T>(organizationId: Id | null, fn: (tx: ReadTx) => Promise<T>): Promise<T>;
}

/** SQLSTATEs of a transaction PostgreSQL aborted because it raced another one. */
const RACE_STATES = new Set(['40001', '40P01']);

/**
 * The domain's UnitOfWork on one MikroORM transaction (READ COMMITTED). Repositories see only
 * this transaction's entity manager; jobs and outbox rows go through its connection.
 */
export class SqlUnitOfWork implements UnitOfWork, ReadScope {
  /**
   * One set of read repositories for every read, on one fork that never holds state: every read
   * is a plain statement or an ORM query with the identity map disabled, and the fork is never in
   * a transaction. A fork and nine repositories per request cost more than the statement itself.
   */
  #reads: ReadTx | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly queue: JobQueue,
    private readonly box: SecretBox,
    private readonly schema: string,
  ) {}

  async run<T>(organizationId: Id | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        const { tx, flush } = this.#tx(em as EntityManager);
        const value = await fn(tx);
        await flush();
        return value;
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && RACE_STATES.has(code)) {
        throw new VersionConflictError('transaction', organizationId ?? 'none', 0);
      }
      throw error;
    }
  }

  /**
   * Runs `fn` on the repositories outside a transaction: for an API read, where one statement or
   * a few independent ones answer the request and a transaction would only add two round trips.
   */
  read<T>(_organizationId: Id | null, fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    this.#reads ??= this.#readRepositories(this.orm.em.fork());
    return fn(this.#reads);
  }

  #readRepositories(em: EntityManager): ReadTx {
    return {
      organizations: new SqlOrganizationRepository(em),
      stripeConnections: new SqlStripeConnectionRepository(em, this.box, this.schema),
      customers: new SqlCustomerRepository(em),
      paymentMethods: new SqlPaymentMethodRepository(em),
      addOns: new SqlAddOnRepository(em),
      invoices: new SqlInvoiceRepository(em, this.schema),
      payments: new SqlPaymentRepository(em, this.schema),
      paymentRequests: new SqlPaymentRequestRepository(em),
      manualPayments: new SqlManualPaymentRepository(em),
      creditNotes: new SqlCreditNoteRepository(em),
    };
  }

  #tx(em: EntityManager): { tx: Tx; flush: () => Promise<void> } {
    const trx = em.getTransactionContext();
    if (trx === undefined) throw new Error('unit of work: no transaction context');
    const jobs = new TransactionalJobs(this.queue, fromKnex(trx));
    const outbox = new TransactionalOutbox(em, jobs);
    const tx: Tx = {
      organizations: new SqlOrganizationRepository(em),
      stripeConnections: new SqlStripeConnectionRepository(em, this.box, this.schema),
      customers: new SqlCustomerRepository(em),
      paymentMethods: new SqlPaymentMethodRepository(em),
      addOns: new SqlAddOnRepository(em),
      invoices: new SqlInvoiceRepository(em, this.schema, true),
      payments: new SqlPaymentRepository(em, this.schema),
      paymentRequests: new SqlPaymentRequestRepository(em),
      manualPayments: new SqlManualPaymentRepository(em),
      creditNotes: new SqlCreditNoteRepository(em),
      sequences: new SqlSequenceRepository(em, this.schema),
      jobs,
      outbox,
    };
    TRANSACTION_SQL.set(tx, {
      table: (name) => `${quoteIdent(this.schema)}.${quoteIdent(name)}`,
      rows: async <T>(sql: string, params: readonly unknown[] = []) =>
        (await em.execute(sql, [...params])) as T[],
    });
    // The outbox first: its events' delivery jobs join the other jobs.
    const flush = async () => {
      await outbox.flush();
      await jobs.flush();
    };
    return { tx, flush };
  }
}
