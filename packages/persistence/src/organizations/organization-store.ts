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

const READ = { disableIdentityMap: true } as const;

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
    const row = await this.orm.em
      .fork()
      .findOne(ApiKeySchema, { keyHash: hashApiKey(key), revokedAt: null }, READ);
    return row?.organization ?? null;
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
