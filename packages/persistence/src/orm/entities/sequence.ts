import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** Per-scope counters (customer numbers per organization, invoice numbers per customer, ...). */
export const SequenceSchema = defineEntity({
  name: 'Sequence',
  tableName: 'sequences',
  properties: (p) => ({
    scopeKind: p.string().primary(),
    scopeId: p.uuid().primary(),
    lastValue: p.integer(),
  }),
  primaryKeys: ['scopeKind', 'scopeId'],
});
export type SequenceRow = InferEntity<typeof SequenceSchema>;
