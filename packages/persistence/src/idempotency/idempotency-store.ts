import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { IdempotencyRecordSchema } from '../orm/entities/idempotency.js';

export type IdempotencyBegin =
  /** First time: run the request, then `complete` (or `abandon` on a 5xx). */
  | { readonly status: 'started' }
  /** Same key, same request, already answered: send the stored answer again. */
  | { readonly status: 'replay'; readonly responseStatus: number; readonly responseBody: unknown }
  /** Same key with a different request: refuse it. */
  | { readonly status: 'mismatch' }
  /** The first request with this key is still running. */
  | { readonly status: 'in_progress' };

const READ = { disableIdentityMap: true } as const;

/** API idempotency keys per organization, with the request fingerprint and the stored response. */
export class IdempotencyStore {
  constructor(private readonly orm: MikroORM) {}

  async begin(input: {
    readonly organizationId: string;
    readonly key: string;
    /** e.g. SHA-256 of method, path and body. */
    readonly fingerprint: string;
    readonly ttlSeconds?: number;
  }): Promise<IdempotencyBegin> {
    const em = this.orm.em.fork();
    const now = new Date();
    // An expired record frees its key.
    await em.nativeDelete(IdempotencyRecordSchema, {
      organization: input.organizationId,
      key: input.key,
      expiresAt: { $lte: now },
    });
    const inserted = await em
      .insert(IdempotencyRecordSchema, {
        id: randomUUID(),
        organization: input.organizationId,
        key: input.key,
        requestFingerprint: input.fingerprint,
        responseStatus: null,
        responseBody: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + (input.ttlSeconds ?? 86_400) * 1000),
      })
      .then(
        () => true,
        (error: { code?: string }) => {
          if (error.code === '23505') return false;
          throw error;
        },
      );
    if (inserted) return { status: 'started' };
    const row = await em.findOne(
      IdempotencyRecordSchema,
      { organization: input.organizationId, key: input.key },
      READ,
    );
    if (row === null) return this.begin(input);
    if (row.requestFingerprint !== input.fingerprint) return { status: 'mismatch' };
    if (row.responseStatus == null) return { status: 'in_progress' };
    return { status: 'replay', responseStatus: row.responseStatus, responseBody: row.responseBody ?? null };
  }

  async complete(input: {
    readonly organizationId: string;
    readonly key: string;
    readonly responseStatus: number;
    readonly responseBody: unknown;
  }): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(
        IdempotencyRecordSchema,
        { organization: input.organizationId, key: input.key },
        { responseStatus: input.responseStatus, responseBody: input.responseBody },
      );
  }

  /** Forgets a key whose request failed without a final answer, so a retry can run it. */
  async abandon(organizationId: string, key: string): Promise<void> {
    await this.orm.em
      .fork()
      .nativeDelete(IdempotencyRecordSchema, { organization: organizationId, key, responseStatus: null });
  }
}
