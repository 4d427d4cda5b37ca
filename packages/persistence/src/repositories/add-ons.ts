import type { EntityManager } from '@mikro-orm/postgresql';
import type { AddOn, AddOnRepository, CurrencyCode, Id } from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';
import { type AddOnRow, AddOnSchema } from '../orm/entities/add-on.js';
import { selectRows } from '../sql/rows.js';
import { casUpdate } from './cas-update.js';

export class SqlAddOnRepository implements AddOnRepository {
  constructor(private readonly em: EntityManager) {}

  async findById(id: Id): Promise<AddOn | null> {
    const [row] = await selectRows(this.em, AddOnSchema, 'add_ons', '"id" = $1 and "deleted_at" is null', [
      id,
    ]);
    return row === undefined ? null : toAddOn(row);
  }

  async findByCode(organizationId: Id, code: string): Promise<AddOn | null> {
    const [row] = await selectRows(
      this.em,
      AddOnSchema,
      'add_ons',
      '"organization_id" = $1 and "code" = $2 and "deleted_at" is null',
      [organizationId, code],
    );
    return row === undefined ? null : toAddOn(row);
  }

  async insert(addOn: AddOn): Promise<AddOn> {
    const target = { entity: 'add_on', id: addOn.id, version: addOn.version };
    await guardWrite(target, () => this.em.insert(AddOnSchema, toRow(addOn)));
    return addOn;
  }

  async update(next: AddOn): Promise<AddOn> {
    const { id: _id, organization: _org, createdAt: _created, ...changes } = toRow(next);
    return casUpdate(this.em, 'AddOn', 'add_on', next, changes);
  }
}

function toRow(a: AddOn) {
  return {
    id: a.id,
    organization: a.organizationId,
    code: a.code,
    name: a.name,
    invoiceDisplayName: a.invoiceDisplayName,
    description: a.description,
    amountCents: a.amountCents,
    currency: a.currency,
    version: a.version,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    deletedAt: a.deletedAt,
  };
}

function toAddOn(row: AddOnRow): AddOn {
  return {
    id: row.id,
    organizationId: row.organization,
    code: row.code,
    name: row.name,
    invoiceDisplayName: row.invoiceDisplayName ?? null,
    description: row.description ?? null,
    amountCents: row.amountCents,
    currency: row.currency as CurrencyCode,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt ?? null,
  };
}
