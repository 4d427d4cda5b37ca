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
  ) {}

  async findById(id: Id): Promise<StripeConnection | null> {
    const row = await this.em.findOne(StripeConnectionSchema, { id }, READ);
    return row === null ? null : this.toConnection(row);
  }

  async findByCode(organizationId: Id, code: string): Promise<StripeConnection | null> {
    const row = await this.em.findOne(StripeConnectionSchema, { organization: organizationId, code }, READ);
    return row === null ? null : this.toConnection(row);
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
