export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
  testDatabaseTarget,
} from './test-database.js';
