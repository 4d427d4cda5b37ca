import type { Database } from '../database.js';

/**
 * True when the database answers `SELECT 1` within `timeoutMs`. Never throws: readiness probes call
 * it while PostgreSQL is away, and the pool reconnects by itself once it is back.
 */
export async function databaseReady(database: Pick<Database, 'orm'>, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = database.orm.em
    .getConnection()
    .execute('SELECT 1 AS ok')
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
