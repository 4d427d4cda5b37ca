import type { EntityMetadata, EntitySchema } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { SafeBigIntType } from '../orm/types/safe-bigint.js';
import { quoteIdent } from './quote.js';

interface PgConnection {
  query(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
}
interface ConnectionSource {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown> | undefined;
}

/**
 * Runs one statement with `$1, $2, …` parameters on the entity manager's transaction, or else on
 * a connection of its pool, and returns the rows as PostgreSQL sent them. Hot reads use it instead
 * of `em.find` or `em.execute`: no query building, no entity hydration, and the parameters travel
 * as parameters (`em.execute` inlines them into the SQL text). Decision 0901.
 */
export async function sqlRows<T = Record<string, unknown>>(
  em: EntityManager,
  text: string,
  values: readonly unknown[] = [],
): Promise<T[]> {
  // Only the entity manager's own transaction: the global manager would otherwise join whatever
  // transaction the caller happens to run in (MikroORM tracks those in async context).
  const own = em.getContext(false) === em ? em.getTransactionContext<Knex.Transaction>() : undefined;
  const knex: Knex = own ?? em.getConnection().getKnex();
  const client = knex.client as unknown as ConnectionSource;
  const connection = await client.acquireConnection();
  try {
    return (await connection.query(text, values)).rows as T[];
  } catch (error) {
    throw em
      .getPlatform()
      .getExceptionConverter()
      .convertException(error as Error);
  } finally {
    await client.releaseConnection(connection);
  }
}

/** One statement on a connection held for a transaction. */
export type TransactionQuery = <T = Record<string, unknown>>(
  text: string,
  values?: readonly unknown[],
) => Promise<T[]>;

/**
 * A transaction on one connection of the ORM's pool, driven by plain statements: BEGIN, `fn`'s
 * statements, COMMIT (ROLLBACK when `fn` throws). For a hot write path that needs neither the
 * query builder nor the unit of work (the webhook receiver's inbox).
 */
export async function sqlTransaction<T>(
  em: EntityManager,
  fn: (query: TransactionQuery) => Promise<T>,
): Promise<T> {
  const client = em.getConnection().getKnex().client as unknown as ConnectionSource;
  const connection = await client.acquireConnection();
  const query: TransactionQuery = async <R>(text: string, values: readonly unknown[] = []) =>
    (await connection.query(text, values)).rows as R[];
  try {
    await query('begin');
    const value = await fn(query);
    await query('commit');
    return value;
  } catch (error) {
    await query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}

type Convert = (value: unknown) => unknown;

const asDate: Convert = (v) =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string);

/**
 * Turns a row as PostgreSQL sends it (column names, money as text, timestamps as text) or as
 * `json_agg` renders it (timestamps as ISO text, money as numbers) into the entity's shape
 * (property names, money as safe integers, `Date`s), which the repositories' mappers read. Built
 * once per entity from MikroORM's metadata, so it follows the entity definitions.
 */
export type RowMapper<T> = (raw: Readonly<Record<string, unknown>>) => T;

const MAPPERS = new WeakMap<object, Map<string, RowMapper<unknown>>>();

function mapperFor(meta: EntityMetadata): RowMapper<unknown> {
  const fields: [string, string, Convert | null][] = [];
  for (const prop of meta.props) {
    if (prop.kind !== 'scalar' && prop.kind !== 'm:1') continue;
    const column = prop.fieldNames?.[0];
    if (!column) continue;
    let convert: Convert | null = null;
    if (prop.customType instanceof SafeBigIntType) {
      const type = prop.customType;
      convert = (v) => (v === null || v === undefined ? null : type.convertToJSValue(v as number | string));
    } else if (prop.runtimeType === 'Date') {
      convert = asDate;
    }
    fields.push([column, prop.name, convert]);
  }
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const [column, name, convert] of fields) {
      const value = raw[column];
      out[name] = convert === null ? (value ?? null) : convert(value);
    }
    return out;
  };
}

export function rowMapper<T>(em: EntityManager, entity: EntitySchema<T>): RowMapper<T> {
  const metadata = em.getMetadata();
  let byEntity = MAPPERS.get(metadata);
  if (!byEntity) {
    byEntity = new Map();
    MAPPERS.set(metadata, byEntity);
  }
  const name = entity.meta.className;
  let mapper = byEntity.get(name);
  if (!mapper) {
    mapper = mapperFor(metadata.get(name));
    byEntity.set(name, mapper);
  }
  return mapper as RowMapper<T>;
}

/** `"schema"."table"` of the entity manager's configured schema. */
export function tableName(em: EntityManager, table: string): string {
  return `${quoteIdent((em.config.get('schema') as string | undefined) ?? 'public')}.${quoteIdent(table)}`;
}

/**
 * `select * from <table> where <where>` in the entity's shape: the repositories' plain reads.
 * `where` uses `$1, $2, …`; `tail` may add `order by …` / `limit …`.
 */
export async function selectRows<T>(
  em: EntityManager,
  entity: EntitySchema<T>,
  table: string,
  where: string,
  values: readonly unknown[],
  tail = '',
): Promise<T[]> {
  const raws = await sqlRows(em, `select * from ${tableName(em, table)} where ${where} ${tail}`, values);
  const map = rowMapper(em, entity);
  return raws.map(map);
}
