import type { EntityManager } from '@mikro-orm/postgresql';
import { VersionConflictError } from '@payrail/domain';
import { guardWrite } from '../errors/db-errors.js';

/**
 * Compare-and-set write of one aggregate row: `UPDATE ... SET ..., version = v + 1 WHERE id = ?
 * AND version = v`. Zero rows touched means another transaction wrote first (or the row is gone),
 * which is a `VersionConflictError`, never a silent overwrite. Returns the stored aggregate.
 */
export async function casUpdate<
  T extends { readonly id: string; readonly version: number; readonly updatedAt: Date },
>(
  em: EntityManager,
  /** MikroORM entity name, e.g. `Customer`. */
  entityName: string,
  /** Domain name for errors, e.g. `customer`. */
  entity: string,
  next: T,
  changes: Record<string, unknown>,
): Promise<T> {
  const target = { entity, id: next.id, version: next.version };
  const stored = { ...next, version: next.version + 1 };
  const affected = await guardWrite(target, () =>
    em.nativeUpdate<object>(
      entityName,
      { id: next.id, version: next.version },
      { ...changes, version: stored.version, updatedAt: next.updatedAt },
    ),
  );
  if (affected !== 1) throw new VersionConflictError(entity, next.id, next.version);
  return stored;
}
