import type { Id, Tx, UnitOfWork } from '@payrail/domain';
import type { IdempotencyStore } from '../ports/idempotency.js';

type Ids = Record<string, string[]>;

const REPOSITORY_WRITES = new Set(['insert', 'update', 'delete']);
const OTHER_WRITES: Readonly<Record<string, string>> = { jobs: 'enqueue', outbox: 'publish' };

/**
 * The unit of work of one request sent with an `Idempotency-Key`: every transaction that writes
 * also marks the key as committed, with the ids it wrote, before it commits. The write and the
 * key's record can then never part: once anything is committed the key is never freed for a
 * second write, and a retry is answered from those ids.
 */
export class KeyedUnitOfWork implements UnitOfWork {
  readonly #inner: UnitOfWork;
  readonly #store: IdempotencyStore;
  readonly #recordId: string;
  #written: { inserted: Ids; updated: Ids } = { inserted: {}, updated: {} };
  #committed = false;

  /** `recordId`: the key's record, as `begin` created it for this request. */
  constructor(inner: UnitOfWork, store: IdempotencyStore, recordId: string) {
    this.#inner = inner;
    this.#store = store;
    this.#recordId = recordId;
  }

  /** Whether a transaction of this request has committed a write. */
  get committed(): boolean {
    return this.#committed;
  }

  async run<T>(organizationId: Id | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const pending = { inserted: copy(this.#written.inserted), updated: copy(this.#written.updated) };
    let wrote = false;
    const result = await this.#inner.run(organizationId, async (tx) => {
      const value = await fn(
        track(tx, pending, () => {
          wrote = true;
        }),
      );
      if (wrote) {
        await this.#store.markCommitted(tx, { recordId: this.#recordId, written: pending });
      }
      return value;
    });
    if (wrote) {
      this.#written = pending;
      this.#committed = true;
    }
    return result;
  }
}

function copy(ids: Ids): Ids {
  return Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, [...v]]));
}

function remember(ids: Ids, repository: string, id: unknown): void {
  if (typeof id !== 'string') return;
  const list = ids[repository] ?? [];
  if (!list.includes(id)) list.push(id);
  ids[repository] = list;
}

/** The same transaction, with its write methods noting what they wrote. */
function track(tx: Tx, written: { inserted: Ids; updated: Ids }, onWrite: () => void): Tx {
  const wrapped: Record<string, unknown> = {};
  for (const [name, repository] of Object.entries(tx) as [string, Record<string, unknown>][]) {
    wrapped[name] = new Proxy(repository, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const writes = REPOSITORY_WRITES.has(property) || OTHER_WRITES[name] === property;
        if (!writes) return value.bind(target);
        return async (...args: unknown[]) => {
          const out = await value.apply(target, args);
          onWrite();
          const id = (args[0] as { id?: unknown } | undefined)?.id;
          if (property === 'insert') remember(written.inserted, name, id);
          else if (property === 'update') remember(written.updated, name, id);
          return out;
        };
      },
    });
  }
  return { ...tx, ...wrapped } as Tx;
}
