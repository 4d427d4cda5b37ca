import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk, version } from './common.js';

export const OrganizationSchema = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: (p) => ({
    id: uuidPk(),
    name: p.string(),
    documentNumberPrefix: p.string(),
    /** HMAC key that signs outgoing webhooks, sealed with SecretBox (AES-256-GCM). */
    hmacKeySealed: p.text(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});
export type OrganizationRow = InferEntity<typeof OrganizationSchema>;

export const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade').index(),
    name: p.string().nullable(),
    /** SHA-256 of the key in hex; the key itself is shown once and never stored. */
    keyHash: p.string().length(64).unique(),
    /** The first characters of the key, for telling keys apart in a list. */
    visiblePrefix: p.string().length(12),
    createdAt: createdAt(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type ApiKeyRow = InferEntity<typeof ApiKeySchema>;
