import { type Database, sqlRows } from '@payrail/persistence';

/** The one thing the SQL adapters need from persistence: run a statement, get its rows. */
export interface SqlRunner {
  /** Quoted `"schema"."table"`. */
  table(name: string): string;
  /** `?` placeholders, one per parameter; a statement of its own, outside any transaction. */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `?` → `$1, $2, …` (the adapters' statements hold no `?` of their own). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Over persistence's `sqlRows` on `Database.orm`: parameters sent as parameters, no query builder. */
export function sqlRunner(orm: Database['orm'], schema: string): SqlRunner {
  // A fork of its own is never inside a transaction, whoever calls.
  const em = orm.em.fork();
  const texts = new Map<string, string>();
  return {
    table: (name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
    rows<T>(sql: string, params: readonly unknown[] = []) {
      let text = texts.get(sql);
      if (text === undefined) {
        text = numbered(sql);
        if (texts.size < 1_000) texts.set(sql, text);
      }
      return sqlRows<T>(em, text, params);
    },
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
