import { randomUUID } from 'node:crypto';
import type { IdempotencyBegin, IdempotencyStore } from '../../ports/idempotency.js';
import type { SqlRunner } from './sql-runner.js';

/** A first request that has not answered for this long is presumed dead (crash); its key is freed. */
const STALE_IN_PROGRESS_MS = 5 * 60 * 1000;

interface Row {
  request_fingerprint: string;
  response_status: number | null;
  response_body: unknown;
  created_at: Date | string;
  expires_at: Date | string;
}

/** `api_idempotency_records` (persistence's table): one row per organization and key. */
export class SqlIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly sql: SqlRunner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async begin(input: {
    organizationId: string;
    key: string;
    fingerprint: string;
    expiresAt: Date;
  }): Promise<IdempotencyBegin> {
    const table = this.sql.table('api_idempotency_records');
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.sql.rows(
        `insert into ${table} ("id", "organization_id", "key", "request_fingerprint", "created_at", "expires_at")
         values (?, ?, ?, ?, ?, ?)
         on conflict ("organization_id", "key") do nothing returning "id"`,
        [randomUUID(), input.organizationId, input.key, input.fingerprint, this.now(), input.expiresAt],
      );
      if (inserted.length > 0) return { kind: 'started' };
      const [row] = await this.sql.rows<Row>(
        `select "request_fingerprint", "response_status", "response_body", "created_at", "expires_at"
           from ${table} where "organization_id" = ? and "key" = ?`,
        [input.organizationId, input.key],
      );
      if (!row) continue;
      const now = this.now().getTime();
      const expired = new Date(row.expires_at).getTime() <= now;
      const stale =
        row.response_status === null && now - new Date(row.created_at).getTime() > STALE_IN_PROGRESS_MS;
      if (expired || stale) {
        await this.sql.rows(
          `delete from ${table} where "organization_id" = ? and "key" = ? and "request_fingerprint" = ? and "created_at" = ?`,
          [input.organizationId, input.key, row.request_fingerprint, row.created_at],
        );
        continue;
      }
      if (row.request_fingerprint !== input.fingerprint) return { kind: 'mismatch' };
      if (row.response_status === null) return { kind: 'in_progress' };
      return { kind: 'replay', status: row.response_status, body: row.response_body ?? null };
    }
    return { kind: 'in_progress' };
  }

  async complete(input: {
    organizationId: string;
    key: string;
    status: number;
    body: unknown;
  }): Promise<void> {
    await this.sql.rows(
      `update ${this.sql.table('api_idempotency_records')}
          set "response_status" = ?, "response_body" = ?::jsonb
        where "organization_id" = ? and "key" = ?`,
      [
        input.status,
        input.body === null ? null : JSON.stringify(input.body),
        input.organizationId,
        input.key,
      ],
    );
  }

  async abandon(input: { organizationId: string; key: string }): Promise<void> {
    await this.sql.rows(
      `delete from ${this.sql.table('api_idempotency_records')}
        where "organization_id" = ? and "key" = ? and "response_status" is null`,
      [input.organizationId, input.key],
    );
  }
}
