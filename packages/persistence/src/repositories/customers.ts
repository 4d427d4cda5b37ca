import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  BillingLink,
  CurrencyCode,
  Customer,
  CustomerRepository,
  Id,
  PaymentMethodType,
  ProviderCustomerState,
} from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type CustomerRow, CustomerSchema } from '../orm/entities/customer.js';
import { selectRows } from '../sql/rows.js';
import { casUpdate } from './cas-update.js';

const READ = { disableIdentityMap: true } as const;

export class SqlCustomerRepository implements CustomerRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<Customer | null> {
    const [row] = await selectRows(this.em, CustomerSchema, 'customers', '"id" = $1', [id]);
    return row === undefined ? null : toCustomer(row);
  }

  async findByIds(ids: readonly Id[]): Promise<readonly Customer[]> {
    if (ids.length === 0) return [];
    const rows = await selectRows(this.em, CustomerSchema, 'customers', '"id" = any($1::uuid[])', [ids]);
    return rows.map(toCustomer);
  }

  async findByExternalId(organizationId: Id, externalId: string): Promise<Customer | null> {
    const [row] = await selectRows(
      this.em,
      CustomerSchema,
      'customers',
      '"organization_id" = $1 and "external_id" = $2 and "deleted_at" is null',
      [organizationId, externalId],
    );
    return row === undefined ? null : toCustomer(row);
  }

  async findByProviderCustomerId(connectionId: Id, providerCustomerId: string): Promise<Customer | null> {
    const row = await this.em.findOne(
      CustomerSchema,
      { connection: connectionId, providerCustomerId, deletedAt: null },
      { ...READ, orderBy: { createdAt: 'asc' } },
    );
    return row === null ? null : toCustomer(row);
  }

  async listByConnection(connectionId: Id): Promise<readonly Customer[]> {
    const rows = await this.em.find(
      CustomerSchema,
      { connection: connectionId, deletedAt: null },
      { ...READ, orderBy: { sequentialId: 'asc' } },
    );
    return rows.map(toCustomer);
  }

  async insert(customer: Customer): Promise<Customer> {
    const target = { entity: 'customer', id: customer.id, version: customer.version };
    await guardWrite(target, () => this.em.insert(CustomerSchema, toRow(customer)));
    return customer;
  }

  async update(next: Customer): Promise<Customer> {
    const { id: _id, organization: _org, createdAt: _created, ...changes } = toRow(next);
    return casUpdate(this.em, 'Customer', 'customer', next, changes);
  }
}

function toRow(c: Customer) {
  const billing = billingColumns(c.billing);
  return {
    id: c.id,
    organization: c.organizationId,
    externalId: c.externalId,
    sequentialId: c.sequentialId,
    name: c.name,
    firstname: c.firstname,
    lastname: c.lastname,
    email: c.email,
    phone: c.phone,
    currency: c.currency,
    addressLine1: c.address.line1,
    addressLine2: c.address.line2,
    city: c.address.city,
    state: c.address.state,
    zipcode: c.address.zipcode,
    country: c.address.country,
    ...billing,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    deletedAt: c.deletedAt,
  };
}

function billingColumns(link: BillingLink) {
  if (link.provider === 'none') {
    return {
      billingProvider: 'none',
      connection: null,
      syncWithProvider: null,
      paymentMethodTypes: null,
      providerCustomerStatus: null,
      providerCustomerId: null,
      providerFailureCode: null,
      providerFailureMessage: null,
      defaultPaymentMethodId: null,
      defaultPaymentMethodChosenBy: null,
    };
  }
  const pc = link.providerCustomer;
  return {
    billingProvider: 'stripe',
    connection: link.connectionId,
    syncWithProvider: link.syncWithProvider,
    paymentMethodTypes: [...link.paymentMethodTypes],
    providerCustomerStatus: pc.status,
    providerCustomerId: pc.status === 'linked' ? pc.providerCustomerId : null,
    providerFailureCode: pc.status === 'error' ? pc.failure.code : null,
    providerFailureMessage: pc.status === 'error' ? pc.failure.message : null,
    defaultPaymentMethodId: link.defaultPaymentMethod?.paymentMethodId ?? null,
    defaultPaymentMethodChosenBy: link.defaultPaymentMethod?.chosenBy ?? null,
  };
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    organizationId: row.organization,
    externalId: row.externalId,
    sequentialId: row.sequentialId,
    name: row.name ?? null,
    firstname: row.firstname ?? null,
    lastname: row.lastname ?? null,
    email: row.email ?? null,
    phone: row.phone ?? null,
    currency: (row.currency ?? null) as CurrencyCode | null,
    address: {
      line1: row.addressLine1 ?? null,
      line2: row.addressLine2 ?? null,
      city: row.city ?? null,
      state: row.state ?? null,
      zipcode: row.zipcode ?? null,
      country: row.country ?? null,
    },
    billing: toBillingLink(row),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt ?? null,
  };
}

function toBillingLink(row: CustomerRow): BillingLink {
  if (row.billingProvider !== 'stripe' || row.connection == null) return { provider: 'none' };
  return {
    provider: 'stripe',
    connectionId: row.connection,
    syncWithProvider: row.syncWithProvider ?? false,
    paymentMethodTypes: (row.paymentMethodTypes ?? []) as PaymentMethodType[],
    providerCustomer: toProviderCustomer(row),
    defaultPaymentMethod:
      row.defaultPaymentMethodId == null
        ? null
        : {
            paymentMethodId: row.defaultPaymentMethodId,
            chosenBy: (row.defaultPaymentMethodChosenBy ?? 'provider') as
              | 'new_method'
              | 'manual'
              | 'provider',
          },
  };
}

function toProviderCustomer(row: CustomerRow): ProviderCustomerState {
  switch (row.providerCustomerStatus) {
    case 'linked':
      return { status: 'linked', providerCustomerId: row.providerCustomerId ?? '' };
    case 'error':
      return {
        status: 'error',
        failure: { code: row.providerFailureCode ?? '', message: row.providerFailureMessage ?? '' },
      };
    default:
      return { status: 'pending' };
  }
}
