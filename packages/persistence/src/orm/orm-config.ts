import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { migrationsList } from '../migrations/index.js';
import { ENTITIES } from './entities/index.js';

export interface OrmConfigOptions {
  readonly url: string;
  /** Schema every table lives in (`public` in production, one per test file in tests). */
  readonly schema: string;
  readonly poolMax: number;
}

export function ormConfig(options: OrmConfigOptions) {
  return defineConfig({
    clientUrl: options.url,
    schema: options.schema,
    entities: ENTITIES,
    extensions: [Migrator],
    // Listed statically: the migrator's file loader cannot import .ts under vitest, and a list
    // behaves the same in tests and in compiled Node.
    migrations: { migrationsList, snapshot: false, transactional: true, allOrNothing: true, silent: true },
    pool: { min: 0, max: options.poolMax },
    // Repositories query inside forks; the global manager must never hold state.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
  });
}
