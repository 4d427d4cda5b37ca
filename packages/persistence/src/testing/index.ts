export { waitForJobs } from './jobs.js';
export {
  appliedMigrationNames,
  type ChildService,
  freePort,
  freshSchema,
  spawnService,
  startTcpProxy,
  type TcpProxy,
  waitForHttp,
  waitUntilRefused,
} from './processes.js';
export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
  testDatabaseTarget,
} from './test-database.js';
