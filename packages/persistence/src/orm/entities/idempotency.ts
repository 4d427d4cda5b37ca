import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common.js';
import { OrganizationSchema } from './organization.js';

/**
 * A replayed API request (same key, same organization) answers with the stored response; the
 * same key with a different request body (fingerprint) is refused.
 */
export const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'api_idempotency_records',
  uniques: [{ properties: ['organization', 'key'], name: 'api_idempotency_records_org_key_unique' }],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    key: p.string(),
    /** SHA-256 over method, path and body. */
    requestFingerprint: p.string().length(64),
    /** null while the first request is still running. */
    responseStatus: p.integer().nullable(),
    responseBody: p.json<unknown>().nullable(),
    /** Set in the transaction that wrote on behalf of the request: the key is never freed after it. */
    committedAt: p.datetime().nullable(),
    /** What the request's transactions wrote, by repository: `{ inserted: { invoices: [id] }, ... }`. */
    written: p.json<unknown>().nullable(),
    /** The request ended without a stored answer after it had committed: a retry replays at once. */
    releasedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    expiresAt: p.datetime(),
  }),
});
export type IdempotencyRecordRow = InferEntity<typeof IdempotencyRecordSchema>;
