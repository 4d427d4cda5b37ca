import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common.js';
import { ApiKeySchema, OrganizationSchema } from './organization.js';

/** A signed-in web UI browser (decision 0703). The token itself is never stored. */
export const UiSessionSchema = defineEntity({
  name: 'UiSession',
  tableName: 'ui_sessions',
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    /** Revoking or deleting the key ends its sessions. */
    apiKey: () => p.manyToOne(ApiKeySchema).mapToPk().deleteRule('cascade'),
    /** SHA-256 of the cookie's token, hex. */
    tokenHash: p.string().length(64).unique(),
    /** The API key the UI calls the REST API with, sealed with SecretBox, bound to this row. */
    apiKeySealed: p.text(),
    createdAt: createdAt(),
    lastSeenAt: p.datetime(),
    /** The absolute deadline; the idle one is `lastSeenAt` plus the configured idle lifetime. */
    expiresAt: p.datetime().index(),
  }),
});
export type UiSessionRow = InferEntity<typeof UiSessionSchema>;
