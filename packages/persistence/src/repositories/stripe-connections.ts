import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type Id,
  Secret,
  type StripeConnection,
  type StripeConnectionRepository,
  VersionConflictError,
} from '@payrail/domain';
import { type SecretBox, sealContext } from '../crypto/secret-box.js';
import { guardWrite } from '../errors/db-errors.js';
import { type StripeConnectionRow, StripeConnectionSchema } from '../orm/entities/stripe-connection.js';
import { quoteIdent } from '../sql/quote.js';
import { selectRows } from '../sql/rows.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;

/**
 * Secret key and webhook signing secret are sealed with AES-256-GCM before they reach a row, bound
 * to that row: a sealed value moved to another connection or column does not open.
 */
export class SqlStripeConnectionRepository implements StripeConnectionRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly schema: string,
  ) {}

  async findById(id: Id): Promise<StripeConnection | null> {
    const [row] = await selectRows(this.em, StripeConnectionSchema, 'stripe_connections', '"id" = $1', [id]);
    return row === undefined ? null : this.toConnection(row);
  }

  async findByCode(organizationId: Id, code: string): Promise<StripeConnection | null> {
    const [row] = await selectRows(
      this.em,
      StripeConnectionSchema,
      'stripe_connections',
      '"organization_id" = $1 and "code" = $2',
      [organizationId, code],
    );
    return row === undefined ? null : this.toConnection(row);
  }

  async listByOrganization(organizationId: Id): Promise<readonly StripeConnection[]> {
    const rows = await this.em.find(
      StripeConnectionSchema,
      { organization: organizationId },
      { ...READ, orderBy: { createdAt: 'asc' } },
    );
    return rows.map((row) => this.toConnection(row));
  }

  async insert(connection: StripeConnection): Promise<StripeConnection> {
    const target = { entity: 'stripe_connection', id: connection.id, version: connection.version };
    await guardWrite(target, () => this.em.insert(StripeConnectionSchema, this.toRow(connection)));
    return connection;
  }

  async update(next: StripeConnection): Promise<StripeConnection> {
    const { id: _id, organization: _org, createdAt: _created, ...changes } = this.toRow(next);
    return casUpdate(this.em, 'StripeConnection', 'stripe_connection', next, changes);
  }

  async delete(connection: StripeConnection): Promise<void> {
    const target = { entity: 'stripe_connection', id: connection.id, version: connection.version };
    const deleted = await guardWrite(target, () =>
      this.em.nativeDelete(StripeConnectionSchema, { id: connection.id, version: connection.version }),
    );
    if (deleted !== 1) throw new VersionConflictError('stripe_connection', connection.id, connection.version);
  }

  async hasPayments(connectionId: Id): Promise<boolean> {
    const [row]: { used: boolean }[] = await this.em.execute(
      `select exists (select 1 from ${quoteIdent(this.schema)}."payments" where "connection_id" = ?) as used`,
      [connectionId],
    );
    return row?.used === true;
  }

  async claimForDisputeCheck(query: {
    readonly now: Date;
    readonly everyMs: number;
    readonly limit: number;
  }): Promise<readonly StripeConnection[]> {
    const table = this.#table();
    // One statement: take the longest-due connections and move their next check forward.
    const claimed: { id: string }[] = await this.em.execute(
      `update ${table} c
          set "disputes_check_at" = ?::timestamptz + make_interval(secs => ?::float8 / 1000)
         from (select "id" from ${table}
                where "disputes_check_at" is null or "disputes_check_at" <= ?::timestamptz
                order by "disputes_check_at" nulls first, "id"
                limit ?) due
        where c."id" = due."id"
       returning c."id"`,
      [query.now, query.everyMs, query.now, query.limit],
    );
    if (claimed.length === 0) return [];
    const rows = await this.em.find(
      StripeConnectionSchema,
      { id: { $in: claimed.map((c) => c.id) } },
      { ...READ, orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map((row) => this.toConnection(row));
  }

  async disputesCheckedUntil(connectionId: Id): Promise<Date | null> {
    const rows: { until: Date | string | null }[] = await this.em.execute(
      `select "disputes_checked_until" as "until" from ${this.#table()} where "id" = ?`,
      [connectionId],
    );
    const until = rows[0]?.until ?? null;
    return until === null ? null : new Date(until);
  }

  async recordDisputesChecked(connectionId: Id, until: Date): Promise<void> {
    // `greatest` ignores a null: the first record sets it, later ones only move it forward.
    await this.em.execute(
      `update ${this.#table()} set "disputes_checked_until" = greatest("disputes_checked_until", ?::timestamptz) where "id" = ?`,
      [until, connectionId],
    );
  }

  #table(): string {
    return `${quoteIdent(this.schema)}."stripe_connections"`;
  }

  private toRow(c: StripeConnection) {
    return {
      id: c.id,
      organization: c.organizationId,
      code: c.code,
      name: c.name,
      secretKeySealed: this.box.seal(
        c.secretKey.reveal(),
        sealContext('stripe_connections.secret_key_sealed', c.organizationId, c.id),
      ),
      webhookSecretSealed: this.box.seal(
        c.webhookEndpoint.signingSecret.reveal(),
        sealContext('stripe_connections.webhook_secret_sealed', c.organizationId, c.id),
      ),
      webhookEndpointId: c.webhookEndpoint.providerEndpointId,
      successRedirectUrl: c.successRedirectUrl,
      version: c.version,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  private toConnection(row: StripeConnectionRow): StripeConnection {
    return {
      id: row.id,
      organizationId: row.organization,
      name: row.name,
      code: row.code,
      secretKey: new Secret(
        this.box.open(
          row.secretKeySealed,
          sealContext('stripe_connections.secret_key_sealed', row.organization, row.id),
        ),
      ),
      successRedirectUrl: row.successRedirectUrl ?? null,
      webhookEndpoint: {
        providerEndpointId: row.webhookEndpointId,
        signingSecret: new Secret(
          this.box.open(
            row.webhookSecretSealed,
            sealContext('stripe_connections.webhook_secret_sealed', row.organization, row.id),
          ),
        ),
      },
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}
