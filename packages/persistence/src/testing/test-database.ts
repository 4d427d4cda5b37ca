import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { SecretBox } from '../crypto/secret-box.js';
import { type Database, type OpenDatabaseOptions, openDatabase } from '../database.js';
import { quoteIdent } from '../sql/quote.js';
import { TEST_DATABASE_EMBEDDED_ENV, TEST_DATABASE_URL_ENV } from './global-setup.js';

export interface TestDatabase extends Database {
  readonly url: string;
  readonly embedded: boolean;
  /** Closes the pools and drops both schemas. */
  dispose(): Promise<void>;
}

export interface TestDatabaseOptions extends Pick<OpenDatabaseOptions, 'queues' | 'queueMaintenance'> {
  /** Prefix of the schema names, to spot a package's leftovers; `t` by default. */
  readonly prefix?: string;
  /** A random key by default. */
  readonly secretBox?: SecretBox;
}

/** Where the test database is: what globalSetup provided, else DATABASE_URL. */
export function testDatabaseTarget(): { url: string; embedded: boolean } {
  let url: string | undefined;
  let embedded: boolean | undefined;
  try {
    url = inject('payrailDatabaseUrl');
    embedded = inject('payrailDatabaseEmbedded');
  } catch {
    // Not running under a vitest worker with our globalSetup.
  }
  url ??= process.env[TEST_DATABASE_URL_ENV] ?? process.env.DATABASE_URL;
  embedded ??= process.env[TEST_DATABASE_EMBEDDED_ENV] === '1';
  if (!url) {
    throw new Error(
      "no test database: add '@payrail/persistence/testing/global-setup' to test.globalSetup or set DATABASE_URL",
    );
  }
  return { url, embedded };
}

/**
 * A clean database for one test file: a fresh schema with every migration applied, job tables in
 * a second fresh schema, a random encryption key. Call in `beforeAll`, `dispose()` in `afterAll`.
 * Works the same on real PostgreSQL and on PGlite, and files can run in parallel.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { url, embedded } = testDatabaseTarget();
  const schema = `${options.prefix ?? 't'}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const queueSchema = `${schema}_jobs`;
  const db = await openDatabase({
    url,
    schema,
    queueSchema,
    embedded,
    migrate: true,
    secretBox: options.secretBox ?? new SecretBox(randomBytes(32)),
    // Tests drive work explicitly; background supervision only adds noise and connections.
    queueMaintenance: options.queueMaintenance ?? false,
    ...(options.queues === undefined ? {} : { queues: options.queues }),
  });
  return {
    ...db,
    url,
    embedded,
    async dispose() {
      await db.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
        await client.query(`drop schema if exists ${quoteIdent(queueSchema)} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
