import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type SecretBox, sealContext } from '../crypto/secret-box.js';
import { hashApiKey } from '../organizations/organization-store.js';
import { quoteIdent } from '../sql/quote.js';

export interface UiSessionLifetimes {
  /** A session unused for this long is over. */
  readonly idleSeconds: number;
  /** A session is over this long after sign-in, however busy. */
  readonly absoluteSeconds: number;
}

export const DEFAULT_UI_SESSION_LIFETIMES: UiSessionLifetimes = {
  idleSeconds: 30 * 60,
  absoluteSeconds: 12 * 60 * 60,
};

export interface StartedUiSession {
  /** For the browser's cookie; only its SHA-256 is stored. */
  readonly token: string;
  readonly expiresAt: Date;
}

export interface ResumedUiSession {
  readonly organizationId: string;
  /** The key the UI calls the REST API with on this session's behalf. */
  readonly apiKey: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Server-side web UI sessions (decision 0703). Sign-in with a valid API key starts one; the
 * browser's cookie holds a random 256-bit token, the row its SHA-256 and the API key sealed and
 * bound to the row. A session ends on sign-out, after `idleSeconds` without a request, at
 * `absoluteSeconds` after sign-in, and when its API key is revoked or deleted.
 */
export class UiSessionStore {
  readonly #table: string;
  readonly #apiKeys: string;

  constructor(
    private readonly orm: MikroORM,
    schema: string,
    private readonly box: SecretBox,
    readonly lifetimes: UiSessionLifetimes = DEFAULT_UI_SESSION_LIFETIMES,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!(lifetimes.idleSeconds > 0 && lifetimes.absoluteSeconds > 0)) {
      throw new Error('UI session lifetimes must be positive');
    }
    this.#table = `${quoteIdent(schema)}."ui_sessions"`;
    this.#apiKeys = `${quoteIdent(schema)}."api_keys"`;
  }

  /** A new session for `apiKey`, or null when the key is unknown or revoked. */
  async start(apiKey: string): Promise<StartedUiSession | null> {
    const em = this.orm.em.fork();
    const keys: { id: string; organization_id: string }[] = await em.execute(
      `select "id", "organization_id" from ${this.#apiKeys}
        where "key_hash" = ? and "revoked_at" is null`,
      [hashApiKey(apiKey)],
    );
    const key = keys[0];
    if (key === undefined) return null;
    const now = this.now();
    await this.purgeEnded(now);
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.lifetimes.absoluteSeconds * 1000);
    await em.execute(
      `insert into ${this.#table} ("id", "organization_id", "api_key_id", "token_hash", "api_key_sealed", "created_at", "last_seen_at", "expires_at")
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        key.organization_id,
        key.id,
        hashToken(token),
        this.box.seal(apiKey, sealContext('ui_sessions.api_key_sealed', key.organization_id, id)),
        now,
        now,
        expiresAt,
      ],
    );
    return { token, expiresAt };
  }

  /** The live session behind a cookie's token, its idle deadline pushed back; null when over. */
  async resume(token: string): Promise<ResumedUiSession | null> {
    if (token === '') return null;
    const now = this.now();
    const idleSince = new Date(now.getTime() - this.lifetimes.idleSeconds * 1000);
    const rows: { id: string; organization_id: string; api_key_sealed: string }[] = await this.orm.em
      .fork()
      .execute(
        `update ${this.#table} s set "last_seen_at" = ?
           from ${this.#apiKeys} k
          where s."token_hash" = ? and s."expires_at" > ? and s."last_seen_at" > ?
            and k."id" = s."api_key_id" and k."revoked_at" is null
          returning s."id", s."organization_id", s."api_key_sealed"`,
        [now, hashToken(token), now, idleSince],
      );
    const row = rows[0];
    if (row === undefined) return null;
    const context = sealContext('ui_sessions.api_key_sealed', row.organization_id, row.id);
    return { organizationId: row.organization_id, apiKey: this.box.open(row.api_key_sealed, context) };
  }

  /** Ends the session behind a token (sign-out); an unknown token is a no-op. */
  async end(token: string): Promise<void> {
    await this.orm.em.fork().execute(`delete from ${this.#table} where "token_hash" = ?`, [hashToken(token)]);
  }

  /** Deletes sessions that are over; runs on every sign-in so the table stays small. */
  async purgeEnded(now: Date = this.now()): Promise<number> {
    const idleSince = new Date(now.getTime() - this.lifetimes.idleSeconds * 1000);
    const result = await this.orm.em
      .fork()
      .execute<{ affectedRows: number }>(
        `delete from ${this.#table} where "expires_at" <= ? or "last_seen_at" <= ?`,
        [now, idleSince],
        'run',
      );
    return result.affectedRows;
  }
}
