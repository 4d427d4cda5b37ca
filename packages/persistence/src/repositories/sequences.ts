import type { EntityManager } from '@mikro-orm/postgresql';
import type { SequenceRepository, SequenceScope } from '@payrail/domain';
import { quoteIdent } from '../sql/quote.js';
import { sqlRows } from '../sql/rows.js';

/**
 * Counters as one upsert: the row lock serialises concurrent callers of one scope until their
 * transactions end, so two invoices of one customer never draw the same number, and a rolled-back
 * transaction gives its number back.
 */
export class SqlSequenceRepository implements SequenceRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly schema: string,
  ) {}

  async next(scope: SequenceScope): Promise<number> {
    const scopeId =
      scope.kind === 'customer'
        ? scope.organizationId
        : scope.kind === 'invoice'
          ? scope.customerId
          : scope.invoiceId;
    const table = `${quoteIdent(this.schema)}."sequences"`;
    const rows = await sqlRows<{ last_value: number }>(
      this.em,
      `insert into ${table} ("scope_kind", "scope_id", "last_value") values ($1, $2, 1)
       on conflict ("scope_kind", "scope_id") do update set "last_value" = ${table}."last_value" + 1
       returning "last_value"`,
      [scope.kind, scopeId],
    );
    const value = rows[0]?.last_value;
    if (value === undefined) throw new Error('sequence upsert returned no row');
    return value;
  }
}
