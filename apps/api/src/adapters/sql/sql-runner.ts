/** The one thing the SQL adapters need from persistence: run a statement, get its rows. */
export interface SqlRunner {
  /** Quoted `"schema"."table"`. */
  table(name: string): string;
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

interface Executes {
  execute(sql: string, params?: unknown[]): Promise<unknown>;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Over MikroORM's `em.fork().execute` (what `Database.orm` from @payrail/persistence offers). */
export function sqlRunner(orm: { em: { fork(): Executes } }, schema: string): SqlRunner {
  return {
    table: (name) => `${quoteIdent(schema)}.${quoteIdent(name)}`,
    async rows<T>(sql: string, params: readonly unknown[] = []) {
      return (await orm.em.fork().execute(sql, [...params])) as T[];
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
