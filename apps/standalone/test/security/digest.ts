/**
 * A digest of everything one organization owns in the database: every row of every table that
 * belongs to it (all columns, `updated_at` and `version` included) and every job that names it.
 * Two equal digests mean nothing of the organization was written in between.
 */
import type { TestDatabase } from '@payrail/persistence/testing';

/**
 * Tables without an `organization_id` column, and how their rows belong to an organization
 * (`$org` stands for its id). A new table of either kind is picked up or refused: see `scopes`.
 */
const OWNED_THROUGH: Record<string, string> = {
  organizations: 'id = $org',
  fees: 'invoice_id in (select id from {s}.invoices where organization_id = $org)',
  invoice_metadata: 'invoice_id in (select id from {s}.invoices where organization_id = $org)',
  refunds: 'credit_note_id in (select id from {s}.credit_notes where organization_id = $org)',
  credit_note_items: 'credit_note_id in (select id from {s}.credit_notes where organization_id = $org)',
  webhook_deliveries: 'endpoint_id in (select id from {s}.webhook_endpoints where organization_id = $org)',
  sequences: `scope_id = $org or scope_id in (select id from {s}.customers where organization_id = $org)
    or scope_id in (select id from {s}.invoices where organization_id = $org)`,
  // One row per Stripe account (a digest of its key) saying when its next request is on schedule:
  // no organization's data, and written by whichever organization's calls reach that account.
  stripe_request_budgets: 'false',
  // Shared by every organization: it must not change at all.
  mikro_orm_migrations: 'true',
};

export interface Digest {
  /** Per table: rows and an md5 of their text. */
  readonly tables: Record<string, string>;
}

async function scopes(db: TestDatabase): Promise<Array<{ table: string; where: string }>> {
  const em = db.orm.em.fork();
  const rows: Array<{ table_name: string; has_org: boolean }> = await em.execute(
    `select t.table_name,
            exists (select 1 from information_schema.columns c
                     where c.table_schema = t.table_schema and c.table_name = t.table_name
                       and c.column_name = 'organization_id') as has_org
       from information_schema.tables t
      where t.table_schema = ? and t.table_type = 'BASE TABLE'
      order by t.table_name`,
    [db.schema],
  );
  const s = `"${db.schema}"`;
  return rows.map(({ table_name: table, has_org }) => {
    const through = OWNED_THROUGH[table];
    if (has_org) return { table, where: 'organization_id = $org' };
    if (through === undefined) {
      throw new Error(`table ${table} has no organization_id: say in OWNED_THROUGH whose rows are whose`);
    }
    return { table, where: through.replaceAll('{s}', s) };
  });
}

const scopeCache = new WeakMap<TestDatabase, Promise<Array<{ table: string; where: string }>>>();

export async function organizationDigest(db: TestDatabase, organizationId: string): Promise<Digest> {
  let cached = scopeCache.get(db);
  if (!cached) {
    cached = scopes(db);
    scopeCache.set(db, cached);
  }
  const org = `'${organizationId.replace(/[^0-9a-f-]/gi, '')}'::uuid`;
  const parts = (await cached).map(
    ({ table, where }) =>
      `select '${table}' as name, count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as d
         from "${db.schema}"."${table}" t where ${where.replaceAll('$org', org)}`,
  );
  parts.push(
    `select 'jobs naming it', count(*)::int, md5(coalesce(string_agg(t.id::text || t.state, '|' order by t.id), ''))
       from "${db.schema}_jobs".job t where t.data::text like '%' || ${org}::text || '%'`,
  );
  const rows: Array<{ name: string; n: number; d: string }> = await db.orm.em
    .fork()
    .execute(parts.join('\nunion all\n'));
  return { tables: Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.d}`])) };
}

/** Tables whose digest differs, e.g. `['invoices']`. */
export function changedTables(before: Digest, after: Digest): string[] {
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  return [...names].filter((name) => before.tables[name] !== after.tables[name]).sort();
}
