/**
 * `pnpm --filter @payrail/persistence db:migrate`: applies pending migrations to DATABASE_URL
 * (schema DATABASE_SCHEMA, default `public`).
 */
import { runMigrations } from './migrate/run-migrations.js';

const url = process.env.DATABASE_URL;
if (url === undefined || url === '') {
  console.error(
    'DATABASE_URL is not set: nothing to migrate (the embedded database migrates itself at start)',
  );
  process.exit(1);
}
const applied = await runMigrations({ url, schema: process.env.DATABASE_SCHEMA || 'public' });
console.log(applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`);
