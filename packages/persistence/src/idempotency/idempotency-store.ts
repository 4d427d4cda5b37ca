import { randomUUID } from 'node:crypto';
import type { Tx } from '@payrail/domain';
import { transactionSql } from '../repositories/unit-of-work.js';
import type { SqlRunner } from '../sql/runner.js';

/** The ids a request's transactions wrote, by repository (`invoices`, `customers`, ...). */
export interface Written {
  readonly inserted: Readonly<Record<string, readonly string[]>>;
  readonly updated: Readonly<Record<string, readonly string[]>>;
}

/** What a request with an `Idempotency-Key` finds when it starts. */
export type IdempotencyBegin =
  /** First time: the caller runs the request and then `complete`s, `abandon`s or `release`s. */
  | { readonly kind: 'started'; readonly recordId: string }
  /** Done before: answer with the stored response. */
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown }
  /**
   * The first request committed its write but its answer was lost (it failed afterwards, or
   * crashed): answer from what it wrote, never write again.
   */
  | { readonly kind: 'replay_committed'; readonly recordId: string; readonly written: Written }
  /** The same key was used for a different request. */
  | { readonly kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { readonly kind: 'in_progress' };

/**
 * A first request that has not answered for this long is presumed dead (a crash, or the database
 * lost while it answered). If it committed nothing its key is freed; if it committed, a retry is
 * answered from what it wrote. Judging a live request dead is safe either way: freed, it rolls its
 * write back when it tries to mark the key (the record it holds is gone), and a replay writes
 * nothing. So the window only has to outlast a normal request, Stripe calls (20 s timeout) included.
 */
const STALE_IN_PROGRESS_MS = 90 * 1000;

interface Row {
  id: string;
  request_fingerprint: string;
  response_status: number | null;
  response_body: unknown;
  committed_at: Date | string | null;
  written: Written | null;
  released_at: Date | string | null;
  created_at: Date | string;
  expires_at: Date | string;
}

const NOTHING_WRITTEN: Written = { inserted: {}, updated: {} };

/**
 * API idempotency keys, `api_idempotency_records`: one row per organization and key, with the
 * request's fingerprint, what it committed and the answer it gave. Decision 0504.
 */
export class IdempotencyStore {
  constructor(
    private readonly sql: SqlRunner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The same store on another clock (the application's, which may be a test's). */
  withClock(now: () => Date): IdempotencyStore {
    return new IdempotencyStore(this.sql, now);
  }

  /** `fingerprint`: e.g. SHA-256 of method, path and body. An expired record frees its key. */
  async begin(input: {
    readonly organizationId: string;
    readonly key: string;
    readonly fingerprint: string;
    readonly expiresAt: Date;
  }): Promise<IdempotencyBegin> {
    const table = this.sql.table('api_idempotency_records');
    for (let attempt = 0; attempt < 2; attempt++) {
      const id = randomUUID();
      const inserted = await this.sql.rows(
        `insert into ${table} ("id", "organization_id", "key", "request_fingerprint", "created_at", "expires_at")
         values (?, ?, ?, ?, ?, ?)
         on conflict ("organization_id", "key") do nothing returning "id"`,
        [id, input.organizationId, input.key, input.fingerprint, this.now(), input.expiresAt],
      );
      if (inserted.length > 0) return { kind: 'started', recordId: id };
      const [row] = await this.sql.rows<Row>(
        `select "id", "request_fingerprint", "response_status", "response_body", "committed_at", "written",
                "released_at", "created_at", "expires_at"
           from ${table} where "organization_id" = ? and "key" = ?`,
        [input.organizationId, input.key],
      );
      if (!row) continue;
      const now = this.now().getTime();
      const expired = new Date(row.expires_at).getTime() <= now;
      const stale =
        row.response_status === null && now - new Date(row.created_at).getTime() > STALE_IN_PROGRESS_MS;
      // Only a key whose request wrote nothing may run again; a committed one is kept until it expires.
      if (expired || (stale && row.committed_at === null)) {
        await this.sql.rows(
          `delete from ${table} where "organization_id" = ? and "key" = ? and "request_fingerprint" = ? and "created_at" = ?
             and ("expires_at" <= ? or "committed_at" is null)`,
          [input.organizationId, input.key, row.request_fingerprint, row.created_at, this.now()],
        );
        continue;
      }
      if (row.request_fingerprint !== input.fingerprint) return { kind: 'mismatch' };
      if (row.response_status !== null)
        return { kind: 'replay', status: row.response_status, body: row.response_body ?? null };
      if (row.committed_at !== null && (row.released_at !== null || stale))
        return { kind: 'replay_committed', recordId: row.id, written: row.written ?? NOTHING_WRITTEN };
      return { kind: 'in_progress' };
    }
    return { kind: 'in_progress' };
  }

  /**
   * Inside `tx`, the transaction that writes on the request's behalf: the key is committed with
   * its write, and `written` (everything written so far) is what a retry is answered from.
   */
  async markCommitted(
    tx: Tx,
    input: { readonly recordId: string; readonly written: Written },
  ): Promise<void> {
    const sql = transactionSql(tx);
    if (!sql)
      throw new Error('idempotency: the unit of work offers no SQL transaction to commit the key with');
    const updated = await sql.rows(
      `update ${sql.table('api_idempotency_records')}
          set "committed_at" = coalesce("committed_at", ?), "written" = ?::jsonb
        where "id" = ? and "response_status" is null
        returning "id"`,
      [this.now(), JSON.stringify(input.written), input.recordId],
    );
    // The key was freed meanwhile (judged stale, taken by a retry): roll the write back.
    if (updated.length === 0) throw new Error('idempotency: the key is no longer held by this request');
  }

  /**
   * Store the answer. `body` null = an empty response body. Like `abandon` and `release`, it acts
   * on the record `begin` gave this request only, never on a later request's record for the key.
   */
  async complete(input: {
    readonly recordId: string;
    readonly status: number;
    readonly body: unknown;
  }): Promise<void> {
    await this.sql.rows(
      `update ${this.sql.table('api_idempotency_records')}
          set "response_status" = ?, "response_body" = ?::jsonb
        where "id" = ?`,
      [input.status, input.body === null ? null : JSON.stringify(input.body), input.recordId],
    );
  }

  /** Forget the key (the request failed before writing anything, so a retry may run it). */
  async abandon(input: { readonly recordId: string }): Promise<void> {
    await this.sql.rows(
      `delete from ${this.sql.table('api_idempotency_records')}
        where "id" = ? and "response_status" is null and "committed_at" is null`,
      [input.recordId],
    );
  }

  /** The request committed but ends without an answer to store: a retry replays at once. */
  async release(input: { readonly recordId: string }): Promise<void> {
    await this.sql.rows(
      `update ${this.sql.table('api_idempotency_records')}
          set "released_at" = ?
        where "id" = ? and "response_status" is null`,
      [this.now(), input.recordId],
    );
  }
}
