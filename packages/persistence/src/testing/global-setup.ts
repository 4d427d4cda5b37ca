import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded/start-embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    payrailDatabaseUrl: string;
    payrailDatabaseEmbedded: boolean;
  }
}

/** Env var the test workers also read, for runners where `inject` is not wired up. */
export const TEST_DATABASE_URL_ENV = 'PAYRAIL_TEST_DATABASE_URL';
export const TEST_DATABASE_EMBEDDED_ENV = 'PAYRAIL_TEST_DATABASE_EMBEDDED';

interface Shared {
  url: string;
  users: number;
  stop: () => Promise<void>;
}

// Several vitest projects may list this file; they share one PGlite within the run.
const SHARED = Symbol.for('payrail.persistence.testDatabase');
type Holder = { [SHARED]?: Promise<Shared> };

/**
 * vitest globalSetup: with DATABASE_URL the tests use that PostgreSQL; without it this starts an
 * in-memory PGlite behind a socket once per run. Either way the URL reaches test files through
 * `inject('payrailDatabaseUrl')` and the PAYRAIL_TEST_DATABASE_URL variable.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  if (external) {
    publish(project, external, false);
    return async () => {};
  }
  const holder = globalThis as Holder;
  holder[SHARED] ??= startEmbeddedPostgres({ maxConnections: 100 }).then((pg) => ({
    url: pg.url,
    users: 0,
    stop: () => pg.stop(),
  }));
  const shared = await holder[SHARED];
  shared.users += 1;
  publish(project, shared.url, true);
  return async () => {
    shared.users -= 1;
    if (shared.users === 0) {
      delete holder[SHARED];
      await shared.stop();
    }
  };
}

function publish(project: TestProject, url: string, embedded: boolean): void {
  project.provide('payrailDatabaseUrl', url);
  project.provide('payrailDatabaseEmbedded', embedded);
  process.env[TEST_DATABASE_URL_ENV] = url;
  process.env[TEST_DATABASE_EMBEDDED_ENV] = embedded ? '1' : '0';
}
