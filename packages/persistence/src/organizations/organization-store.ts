import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Organization } from '@payrail/domain';
import { type SecretBox, sealContext } from '../crypto/secret-box.js';
import { guardWrite } from '../errors/db-errors.js';
import { ApiKeySchema, OrganizationSchema } from '../orm/entities/organization.js';
import { sqlRows, tableName } from '../sql/rows.js';

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
  /** Never inside a transaction: the key lookup runs on its own connection. */
  readonly #reads: EntityManager;

  constructor(
    private readonly orm: MikroORM,
    private readonly box: SecretBox,
  ) {
    this.#reads = orm.em.fork();
  }

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
    return (await this.findByKeyHash(hashApiKey(key)))?.id ?? null;
  }

  /**
   * The organization of the key with this SHA-256, read with the key in one statement; null for an
   * unknown or revoked key. Notes the key's use (at most once per `LAST_USED_PRECISION_MS`).
   */
  async findByKeyHash(keyHash: string): Promise<Organization | null> {
    const em = this.#reads;
    const [row] = await sqlRows<{
      key_id: string;
      last_used_at: string | null;
      id: string;
      name: string;
      document_number_prefix: string;
      version: number;
      created_at: string;
      updated_at: string;
    }>(
      em,
      `select k."id" as "key_id", k."last_used_at", o."id", o."name", o."document_number_prefix", o."version",
              o."created_at", o."updated_at"
         from ${tableName(em, 'api_keys')} k join ${tableName(em, 'organizations')} o on o."id" = k."organization_id"
        where k."key_hash" = $1 and k."revoked_at" is null`,
      [keyHash],
    );
    if (row === undefined) return null;
    // Lets an operator rotating keys see that the new key is in use before revoking the old one.
    const now = new Date();
    const lastUsed = row.last_used_at === null ? null : new Date(row.last_used_at);
    if (lastUsed === null || now.getTime() - lastUsed.getTime() >= LAST_USED_PRECISION_MS) {
      await this.orm.em.fork().nativeUpdate(ApiKeySchema, { id: row.key_id }, { lastUsedAt: now });
    }
    return {
      id: row.id,
      name: row.name,
      documentNumberPrefix: row.document_number_prefix,
      version: row.version,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
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

  /** Replaces the HMAC key with a new one (a UUID, like Lago's); returns it, to be shown once. */
  async rotateHmacKey(organizationId: string): Promise<string> {
    const key = randomUUID();
    const em = this.orm.em.fork();
    await sqlRows(
      em,
      `update ${tableName(em, 'organizations')}
          set "hmac_key_sealed" = $1, "version" = "version" + 1, "updated_at" = $2
        where "id" = $3`,
      [this.box.seal(key, hmacKeyContext(organizationId)), new Date(), organizationId],
    );
    return key;
  }

  /** The key outgoing webhooks are signed with (Lago's `hmac_key`). */
  async hmacKey(organizationId: string): Promise<string | null> {
    const row = await this.orm.em.fork().findOne(OrganizationSchema, { id: organizationId }, READ);
    return row === null ? null : this.box.open(row.hmacKeySealed, hmacKeyContext(organizationId));
  }
}
