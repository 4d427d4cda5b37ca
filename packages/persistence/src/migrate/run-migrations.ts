import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from '../orm/orm-config.js';
import { quoteIdent } from '../sql/quote.js';

export interface MigrateOptions {
  readonly url: string;
  readonly schema?: string;
  /**
   * Hold a PostgreSQL advisory lock while migrating, so processes starting at the same time take
   * turns (the second finds nothing left to do). True by default; PGlite has one session for
   * every connection, so the embedded shape turns it off.
   */
  readonly lock?: boolean;
}

/** First key of the two-key advisory lock: "payrail" in ASCII, so other tools' locks never clash. */
const LOCK_NAMESPACE = 0x70617972;

/** Applies pending migrations and returns the names it ran. Safe to call on every start. */
export async function runMigrations(options: MigrateOptions): Promise<string[]> {
  const schema = options.schema ?? 'public';
  if (options.lock === false) return migrate(options.url, schema);
  // A session lock on a connection of its own: released by unlock or when the connection ends,
  // so a process that dies mid-migration never leaves the lock held.
  const client = new pg.Client({ connectionString: options.url, application_name: 'payrail-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_NAMESPACE, schema]);
    return await migrate(options.url, schema);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Names of the migrations not applied yet (every one on an empty database). */
export async function pendingMigrations(options: Omit<MigrateOptions, 'lock'>): Promise<string[]> {
  const orm = await MikroORM.init(
    ormConfig({ url: options.url, schema: options.schema ?? 'public', poolMax: 1 }),
  );
  try {
    const pending = await orm.getMigrator().getPendingMigrations();
    return pending.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

async function migrate(url: string, schema: string): Promise<string[]> {
  const orm = await MikroORM.init(ormConfig({ url, schema, poolMax: 1 }));
  try {
    // The migrator checks for its table and then creates it in two statements; two processes on
    // one embedded PGlite (where the advisory lock cannot exclude, every socket being one session)
    // could both see it missing. One idempotent statement, the same table the migrator would make.
    const s = quoteIdent(schema);
    await orm.em
      .getConnection()
      .execute(
        `CREATE SCHEMA IF NOT EXISTS ${s}; CREATE TABLE IF NOT EXISTS ${s}."mikro_orm_migrations" ("id" serial primary key, "name" varchar(255), "executed_at" timestamptz default CURRENT_TIMESTAMP)`,
      );
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
