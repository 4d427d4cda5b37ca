import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { amount, createdAt, currency, updatedAt, uuidPk, version } from './common.js';
import { OrganizationSchema } from './organization.js';

export const AddOnSchema = defineEntity({
  name: 'AddOn',
  tableName: 'add_ons',
  uniques: [
    {
      name: 'add_ons_org_code_unique',
      expression:
        'create unique index "add_ons_org_code_unique" on "add_ons" ("organization_id", "code") where "deleted_at" is null',
    },
  ],
  properties: (p) => ({
    id: uuidPk(),
    organization: () => p.manyToOne(OrganizationSchema).mapToPk().deleteRule('cascade'),
    code: p.string(),
    name: p.string(),
    invoiceDisplayName: p.string().nullable(),
    description: p.text().nullable(),
    amountCents: amount(),
    currency: currency(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: p.datetime().nullable(),
  }),
});
export type AddOnRow = InferEntity<typeof AddOnSchema>;
