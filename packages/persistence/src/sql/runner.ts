import type { EntitySchema } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { quoteIdent } from './quote.js';
import { type RowMapper, rowMapper, sqlRows } from './rows.js';

/** What the plain-SQL stores and queries need: run a statement outside any transaction, get its rows. */
export interface SqlRunner {
  /** Quoted `"schema"."table"`. */
  table(name: string): string;
  /** `?` placeholders, one per parameter; a statement of its own, outside any transaction. */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Turns a row of the entity's table, as PostgreSQL or `to_json` sends it, into the entity's shape. */
  mapper<T>(entity: EntitySchema<T>): RowMapper<T>;
  /** `fn`'s statements in one transaction (READ COMMITTED), committed when it resolves. */
  transaction<T>(fn: (rows: SqlRunner['rows']) => Promise<T>): Promise<T>;
}

/** `?` → `$1, $2, …` (the statements hold no `?` of their own). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * Over `sqlRows`: parameters sent as parameters, no query builder, no entity hydration; each
 * statement's numbered text is kept, so a hot statement is rewritten once.
 */
export function sqlRunner(orm: MikroORM, schema: string): SqlRunner {
  // A fork of its own is never inside a transaction, whoever calls.
  const em = orm.em.fork();
  const texts = new Map<string, string>();
  const textOf = (sql: string): string => {
    let text = texts.get(sql);
    if (text === undefined) {
      text = numbered(sql);
      if (texts.size < 1_000) texts.set(sql, text);
    }
    return text;
  };
  return {
    table: (name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
    rows: <T>(sql: string, params: readonly unknown[] = []) => sqlRows<T>(em, textOf(sql), params),
    mapper: (entity) => rowMapper(em, entity),
    transaction: (fn) =>
      orm.em
        .fork()
        .transactional((tx) =>
          fn(<T>(sql: string, params: readonly unknown[] = []) => sqlRows<T>(tx, textOf(sql), params)),
        ),
  };
}

/** Builds `where` clauses with positional parameters in step. */
export class Where {
  readonly #clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...params: unknown[]): this {
    this.#clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  toString(): string {
    return this.#clauses.length === 0 ? '' : `where ${this.#clauses.join(' and ')}`;
  }
}

/** `%term%` for ILIKE, with the user's own wildcards escaped. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
