/**
 * The operator's command for organizations and their API keys, on DATABASE_URL (pending migrations
 * are applied first, as every process does at start):
 *
 *   node apps/api/dist/bootstrap.js --name "Acme"                        create; print its key once
 *   node apps/api/dist/bootstrap.js --organization <id> --rotate-key     a new key, printed once
 *   node apps/api/dist/bootstrap.js --organization <id> --list-keys      keys with their last use
 *   node apps/api/dist/bootstrap.js --organization <id> --revoke-key <key id>
 *
 * Rotation: issue a new key, move clients to it, check with --list-keys that it is in use, then
 * revoke the old one. Revoking is refused while no other live key has been used (--force overrides).
 */
import { parseArgs } from 'node:util';
import { type ApiKeySummary, openDatabaseFromEnv } from '@payrail/persistence';
import { bootstrapOrganization } from './bootstrap-organization.js';

const USAGE = `usage:
  node apps/api/dist/bootstrap.js --name "<organization name>"
  node apps/api/dist/bootstrap.js --organization <id> --rotate-key
  node apps/api/dist/bootstrap.js --organization <id> --list-keys
  node apps/api/dist/bootstrap.js --organization <id> --revoke-key <key id> [--force]`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

let values: {
  name?: string | undefined;
  organization?: string | undefined;
  'rotate-key'?: boolean | undefined;
  'list-keys'?: boolean | undefined;
  'revoke-key'?: string | undefined;
  force?: boolean | undefined;
};
try {
  ({ values } = parseArgs({
    options: {
      name: { type: 'string' },
      organization: { type: 'string' },
      'rotate-key': { type: 'boolean' },
      'list-keys': { type: 'boolean' },
      'revoke-key': { type: 'string' },
      force: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
const actions = [
  values.name !== undefined,
  values['rotate-key'],
  values['list-keys'],
  values['revoke-key'] !== undefined,
];
if (actions.filter(Boolean).length !== 1) fail(USAGE);
if (values.name === undefined && !values.organization) fail(`--organization <id> is required\n${USAGE}`);
if (!process.env.DATABASE_URL)
  fail('DATABASE_URL is not set: the organization must live in the shared PostgreSQL');
if (!process.env.ENCRYPTION_KEY) {
  fail('ENCRYPTION_KEY is not set: the organization HMAC key would be sealed with a throwaway key');
}

const database = await openDatabaseFromEnv({ queueMaintenance: false }).catch((error: Error) =>
  fail(`cannot open the database: ${error.message}`, 1),
);
const describeKey = (k: ApiKeySummary) =>
  `  ${k.id}  ${k.visiblePrefix}…  ${k.name ?? ''}  created ${k.createdAt.toISOString()}  last used ${
    k.lastUsedAt?.toISOString() ?? 'never'
  }${k.revokedAt ? `  REVOKED ${k.revokedAt.toISOString()}` : ''}`;
let exitCode = 0;
try {
  const store = database.organizations;
  if (values.name !== undefined) {
    const created = await bootstrapOrganization(store, { name: values.name });
    console.log(`organization ${created.name} (${created.organizationId})`);
    console.log(`API key (shown once): ${created.apiKey}`);
  } else {
    const organizationId = values.organization as string;
    const organization = /^[0-9a-f-]{36}$/i.test(organizationId)
      ? await store.findOrganization(organizationId)
      : null;
    if (organization === null) {
      console.error(`no organization ${organizationId}`);
      exitCode = 1;
    } else if (values['rotate-key']) {
      const created = await store.createApiKey(organization.id, `rotated ${new Date().toISOString()}`);
      console.log(`new API key for ${organization.name} (shown once): ${created.key}`);
      console.log(`key id ${created.id}. The other keys keep working until you revoke them:`);
      for (const k of await store.listApiKeys(organization.id)) {
        if (k.id !== created.id && k.revokedAt === null) console.log(describeKey(k));
      }
    } else if (values['list-keys']) {
      console.log(`API keys of ${organization.name} (${organization.id}), newest first:`);
      for (const k of await store.listApiKeys(organization.id)) console.log(describeKey(k));
    } else {
      const keyId = values['revoke-key'] as string;
      const keys = await store.listApiKeys(organization.id);
      const target = keys.find((k) => k.id === keyId && k.revokedAt === null);
      const othersInUse = keys.filter((k) => k.id !== keyId && k.revokedAt === null && k.lastUsedAt !== null);
      if (target === undefined) {
        console.error(`no live key ${keyId} in ${organization.name}`);
        exitCode = 1;
      } else if (othersInUse.length === 0 && !values.force) {
        console.error(
          'refusing to revoke: no other live key of this organization has been used yet (clients would be locked out); use the new key first, or pass --force',
        );
        exitCode = 1;
      } else {
        await store.revokeApiKey(organization.id, keyId);
        console.log(`revoked ${keyId} (${target.visiblePrefix}…)`);
      }
    }
  }
} finally {
  await database.close();
}
process.exit(exitCode);
