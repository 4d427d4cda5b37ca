import type { TestDatabase } from './test-database.js';

/**
 * Waits until no job is queued, in retry or running. A statement without parameters: on PGlite
 * every socket shares one session, and the unnamed prepared statements of concurrent sockets can
 * replace each other mid-flight ("unnamed prepared statement does not exist").
 */
export async function waitForJobs(db: TestDatabase, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const sql = `select count(*)::int as n from "${db.queue.schema}".job where state in ('created', 'retry', 'active')`;
  for (;;) {
    const rows = (await db.orm.em.fork().execute(sql)) as { n: number }[];
    if ((rows[0]?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
