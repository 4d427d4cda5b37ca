import { UniqueViolationError, VersionConflictError } from '../errors.js';

export interface Row {
  readonly id: string;
  readonly version: number;
}

/** A uniqueness rule: rows with the same non-null key may not coexist. */
export interface UniqueRule<T> {
  readonly field: string;
  readonly key: (row: T) => string | null;
}

type Write =
  | { readonly kind: 'insert' }
  | { readonly kind: 'update'; readonly baseVersion: number }
  | { readonly kind: 'delete'; readonly baseVersion: number };

/**
 * One table inside one transaction: reads see the snapshot taken at the start plus this
 * transaction's own writes; commit re-checks versions and uniqueness against what other
 * transactions committed meanwhile (optimistic concurrency, like `UPDATE … WHERE version = n`).
 */
export class TxTable<T extends Row> {
  readonly #working: Map<string, T>;
  readonly #writes = new Map<string, Write>();

  constructor(
    readonly entity: string,
    private readonly committed: Map<string, T>,
    private readonly rules: readonly UniqueRule<T>[],
  ) {
    this.#working = new Map(committed);
  }

  get(id: string): T | null {
    return this.#working.get(id) ?? null;
  }

  find(predicate: (row: T) => boolean): T | null {
    for (const row of this.#working.values()) if (predicate(row)) return row;
    return null;
  }

  filter<S extends T>(predicate: (row: T) => row is S): S[];
  filter(predicate: (row: T) => boolean): T[];
  filter(predicate: (row: T) => boolean): T[] {
    return [...this.#working.values()].filter(predicate);
  }

  insert(row: T): T {
    if (this.#working.has(row.id)) throw new UniqueViolationError(this.entity, 'id');
    this.#checkUnique(this.#working, row);
    this.#working.set(row.id, row);
    this.#writes.set(row.id, { kind: 'insert' });
    return row;
  }

  update(next: T): T {
    const current = this.#working.get(next.id);
    if (!current || current.version !== next.version) {
      throw new VersionConflictError(this.entity, next.id, next.version);
    }
    const stored = { ...next, version: next.version + 1 };
    this.#checkUnique(this.#working, stored);
    this.#working.set(next.id, stored);
    if (!this.#writes.has(next.id)) this.#writes.set(next.id, { kind: 'update', baseVersion: next.version });
    return stored;
  }

  delete(row: T): void {
    const current = this.#working.get(row.id);
    if (!current || current.version !== row.version)
      throw new VersionConflictError(this.entity, row.id, row.version);
    this.#working.delete(row.id);
    const earlier = this.#writes.get(row.id);
    this.#writes.set(row.id, {
      kind: 'delete',
      baseVersion: earlier && earlier.kind !== 'insert' ? earlier.baseVersion : row.version,
    });
  }

  /** Throws if another transaction got there first; otherwise nothing is changed yet. */
  verify(): void {
    for (const [id, write] of this.#writes) {
      const now = this.committed.get(id);
      if (write.kind === 'insert') {
        if (now) throw new UniqueViolationError(this.entity, 'id');
      } else if (!now || now.version !== write.baseVersion) {
        throw new VersionConflictError(this.entity, id, write.baseVersion);
      }
    }
    const merged = new Map(this.committed);
    for (const [id, write] of this.#writes) {
      const row = this.#working.get(id);
      if (write.kind === 'delete' || !row) merged.delete(id);
      else merged.set(id, row);
    }
    for (const [id, write] of this.#writes) {
      const row = merged.get(id);
      if (write.kind !== 'delete' && row) this.#checkUnique(merged, row);
    }
  }

  apply(): void {
    for (const [id, write] of this.#writes) {
      if (write.kind === 'delete') this.committed.delete(id);
      else {
        const row = this.#working.get(id);
        if (row) this.committed.set(id, row);
      }
    }
  }

  #checkUnique(rows: Map<string, T>, row: T): void {
    for (const rule of this.rules) {
      const key = rule.key(row);
      if (key === null) continue;
      for (const other of rows.values()) {
        if (other.id !== row.id && rule.key(other) === key) {
          throw new UniqueViolationError(this.entity, rule.field);
        }
      }
    }
  }
}
