import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Organization } from '@payrail/domain';
import { type SecretBox, sealContext } from '../crypto/secret-box.js';
import { guardWrite } from '../errors/db-errors.js';
import { ApiKeySchema, OrganizationSchema } from '../orm/entities/organization.js';

export interface CreatedApiKey {
  readonly id: string;
  /** Shown once; only its SHA-256 is stored. */
  readonly key: string;
  readonly visiblePrefix: string;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly name: string | null;
  /** The key's first characters (`pr_AbCdE`), enough to tell keys apart. */
  readonly visiblePrefix: string;
  readonly createdAt: Date;
  /** Null until first used; then updated at most once per `LAST_USED_PRECISION_MS`. */
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

const READ = { disableIdentityMap: true } as const;

/** A key's last use is written at most this often, so authentication stays a read. */
export const LAST_USED_PRECISION_MS = 60_000;

/** Where an organization's webhook HMAC key is sealed: its own row. */
export function hmacKeyContext(organizationId: string) {
  return sealContext('organizations.hmac_key_sealed', organizationId, organizationId);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Organizations and their credentials: API keys (hashed, looked up by hash) and the HMAC key that
 * signs outgoing webhooks (sealed, opened only to sign).
 */
export class OrganizationStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly box: SecretBox,
  ) {}

  async create(input: {
    readonly name: string;
    readonly documentNumberPrefix: string;
  }): Promise<Organization> {
    const now = new Date();
    const org: Organization = {
      id: randomUUID(),
      name: input.name,
      documentNumberPrefix: input.documentNumberPrefix,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.orm.em.fork().insert(OrganizationSchema, {
      ...org,
      hmacKeySealed: this.box.seal(randomUUID(), hmacKeyContext(org.id)),
    });
    return org;
  }

  /** Issues a key `pr_<random>`; the caller shows it once. */
  async createApiKey(organizationId: string, name: string | null = null): Promise<CreatedApiKey> {
    const key = `pr_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    const visiblePrefix = key.slice(0, 8);
    await guardWrite({ entity: 'api_key', id, version: 1 }, () =>
      this.orm.em.fork().insert(ApiKeySchema, {
        id,
        organization: organizationId,
        name,
        keyHash: hashApiKey(key),
        visiblePrefix,
        createdAt: new Date(),
      }),
    );
    return { id, key, visiblePrefix };
  }

  /** The organization a bearer key belongs to, or null for an unknown or revoked key. */
  async authenticate(key: string): Promise<string | null> {
    const em = this.orm.em.fork();
    const row = await em.findOne(ApiKeySchema, { keyHash: hashApiKey(key), revokedAt: null }, READ);
    if (row === null) return null;
    // Lets an operator rotating keys see that the new key is in use before revoking the old one.
    const now = new Date();
    const lastUsed = row.lastUsedAt ?? null;
    if (lastUsed === null || now.getTime() - lastUsed.getTime() >= LAST_USED_PRECISION_MS) {
      await em.nativeUpdate(ApiKeySchema, { id: row.id }, { lastUsedAt: now });
    }
    return row.organization;
  }

  /** The organization's keys, newest first, revoked ones included. */
  async listApiKeys(organizationId: string): Promise<ApiKeySummary[]> {
    const rows = await this.orm.em
      .fork()
      .find(ApiKeySchema, { organization: organizationId }, { ...READ, orderBy: { createdAt: 'desc' } });
    return rows.map((r) => ({
      id: r.id,
      name: r.name ?? null,
      visiblePrefix: r.visiblePrefix,
      createdAt: r.createdAt,
      lastUsedAt: r.lastUsedAt ?? null,
      revokedAt: r.revokedAt ?? null,
    }));
  }

  async findOrganization(organizationId: string): Promise<Organization | null> {
    const row = await this.orm.em.fork().findOne(OrganizationSchema, { id: organizationId }, READ);
    if (row === null) return null;
    return {
      id: row.id,
      name: row.name,
      documentNumberPrefix: row.documentNumberPrefix,
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  async revokeApiKey(organizationId: string, apiKeyId: string): Promise<boolean> {
    const n = await this.orm.em
      .fork()
      .nativeUpdate(
        ApiKeySchema,
        { id: apiKeyId, organization: organizationId, revokedAt: null },
        { revokedAt: new Date() },
      );
    return n === 1;
  }

  /** The key outgoing webhooks are signed with (Lago's `hmac_key`). */
  async hmacKey(organizationId: string): Promise<string | null> {
    const row = await this.orm.em.fork().findOne(OrganizationSchema, { id: organizationId }, READ);
    return row === null ? null : this.box.open(row.hmacKeySealed, hmacKeyContext(organizationId));
  }
}
