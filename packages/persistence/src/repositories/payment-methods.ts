import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  Id,
  PaymentMethod,
  PaymentMethodDetails,
  PaymentMethodRepository,
  PaymentMethodType,
} from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type PaymentMethodRow, PaymentMethodSchema } from '../orm/entities/customer.js';
import { selectRows } from '../sql/rows.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;

export class SqlPaymentMethodRepository implements PaymentMethodRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<PaymentMethod | null> {
    const [row] = await selectRows(
      this.em,
      PaymentMethodSchema,
      'payment_methods',
      '"id" = $1 and "deleted_at" is null',
      [id],
    );
    return row === undefined ? null : toPaymentMethod(row);
  }

  async findByProviderId(customerId: Id, providerPaymentMethodId: string): Promise<PaymentMethod | null> {
    const [row] = await selectRows(
      this.em,
      PaymentMethodSchema,
      'payment_methods',
      '"customer_id" = $1 and "provider_payment_method_id" = $2 and "deleted_at" is null',
      [customerId, providerPaymentMethodId],
    );
    return row === undefined ? null : toPaymentMethod(row);
  }

  async deleteAllOfConnection(connectionId: Id): Promise<void> {
    await this.em.nativeDelete(PaymentMethodSchema, { connection: connectionId });
  }

  async listByCustomer(customerId: Id): Promise<readonly PaymentMethod[]> {
    const rows = await this.em.find(
      PaymentMethodSchema,
      { customer: customerId, deletedAt: null },
      { ...READ, orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return rows.map(toPaymentMethod);
  }

  async insert(method: PaymentMethod): Promise<PaymentMethod> {
    const target = { entity: 'payment_method', id: method.id, version: method.version };
    await guardWrite(target, () => this.em.insert(PaymentMethodSchema, toRow(method)));
    return method;
  }

  async update(next: PaymentMethod): Promise<PaymentMethod> {
    const { id: _id, organization: _org, createdAt: _created, ...changes } = toRow(next);
    return casUpdate(this.em, 'PaymentMethod', 'payment_method', next, changes);
  }
}

function toRow(m: PaymentMethod) {
  return {
    id: m.id,
    organization: m.organizationId,
    customer: m.customerId,
    connection: m.connectionId,
    providerCustomerId: m.providerCustomerId,
    providerPaymentMethodId: m.providerPaymentMethodId,
    type: m.type,
    details: m.details === null ? null : { ...m.details },
    version: m.version,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    deletedAt: m.deletedAt,
  };
}

function toPaymentMethod(row: PaymentMethodRow): PaymentMethod {
  return {
    id: row.id,
    organizationId: row.organization,
    customerId: row.customer,
    connectionId: row.connection,
    providerCustomerId: row.providerCustomerId,
    providerPaymentMethodId: row.providerPaymentMethodId,
    type: row.type as PaymentMethodType | 'other',
    details: (row.details ?? null) as PaymentMethodDetails | null,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt ?? null,
  };
}
