/**
 * `node apps/api/dist/bootstrap.js --name "Acme"`: creates an organization in DATABASE_URL and
 * prints its API key once (only the key's hash is stored).
 */
import { parseArgs } from 'node:util';
import { openDatabaseFromEnv } from '@payrail/persistence';
import { bootstrapOrganization } from './bootstrap-organization.js';

const { values } = parseArgs({ options: { name: { type: 'string' } }, strict: true });
if (!values.name) {
  console.error('usage: node apps/api/dist/bootstrap.js --name "<organization name>"');
  process.exit(2);
}
if (!process.env.DATABASE_URL) {
  console.error(
    'DATABASE_URL is not set (apply migrations first: pnpm --filter @payrail/persistence db:migrate)',
  );
  process.exit(2);
}
if (!process.env.ENCRYPTION_KEY) {
  console.error('ENCRYPTION_KEY is not set: the organization HMAC key would be sealed with a throwaway key');
  process.exit(2);
}
const database = await openDatabaseFromEnv({ queueMaintenance: false });
try {
  const created = await bootstrapOrganization(database.organizations, { name: values.name });
  console.log(`organization ${created.name} (${created.organizationId})`);
  console.log(`API key (shown once): ${created.apiKey}`);
} finally {
  await database.close();
}
