/**
 * The operator's bootstrap command run as production runs it (`node apps/api/dist/bootstrap.js`)
 * on an empty schema: create an organization, rotate its key, revoke the old one after the new one
 * has been used.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type Database, openDatabase, SecretBox } from '@payrail/persistence';
import { freshSchema, spawnService, testDatabaseTarget } from '@payrail/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const COMMAND = fileURLToPath(new URL('../dist/bootstrap.js', import.meta.url));

describe('the bootstrap command', () => {
  const { url, embedded } = testDatabaseTarget();
  const schema = freshSchema(url, 'boot');
  const env = {
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema.name,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  let db: Database;

  async function run(...args: string[]): Promise<{ code: number | null; out: string }> {
    const service = spawnService(COMMAND, env, args);
    const code = await service.exited();
    return { code, out: service.output() };
  }

  let organizationId = '';
  let firstKey = '';

  beforeAll(async () => {
    const created = await run('--name', 'Acme Production');
    expect(created.code, created.out).toBe(0);
    organizationId = /\(([0-9a-f-]{36})\)/.exec(created.out)?.[1] ?? '';
    firstKey = /API key \(shown once\): (pr_\S+)/.exec(created.out)?.[1] ?? '';
    db = await openDatabase({
      url,
      schema: schema.name,
      embedded,
      migrate: false,
      secretBox: new SecretBox(randomBytes(32)),
      queueMaintenance: false,
    });
  });

  afterAll(async () => {
    await db?.close();
    await schema.drop();
  });

  it('creates an organization on an empty database and prints its key once', async () => {
    expect(organizationId).not.toBe('');
    expect(await db.organizations.authenticate(firstKey)).toBe(organizationId);
  });

  it('rotates: a new key works beside the old one, and the old one is revoked only after the new one is used', async () => {
    const rotated = await run('--organization', organizationId, '--rotate-key');
    expect(rotated.code, rotated.out).toBe(0);
    const newKey = /\(shown once\): (pr_\S+)/.exec(rotated.out)?.[1] ?? '';
    expect(await db.organizations.authenticate(newKey)).toBe(organizationId);
    const oldKeyId = (await db.organizations.listApiKeys(organizationId)).find((k) =>
      firstKey.startsWith(k.visiblePrefix),
    )?.id;
    expect(oldKeyId).toBeDefined();

    // The first key was used above; the new one too. Revoke the old one:
    const revoked = await run('--organization', organizationId, '--revoke-key', oldKeyId ?? '');
    expect(revoked.code, revoked.out).toBe(0);
    expect(await db.organizations.authenticate(firstKey)).toBeNull();
    expect(await db.organizations.authenticate(newKey)).toBe(organizationId);

    const listed = await run('--organization', organizationId, '--list-keys');
    expect(listed.out).toContain('REVOKED');
    expect(listed.out).not.toContain(newKey);
  });

  it('refuses to revoke the last key in use, and explains usage errors in one line', async () => {
    const keys = await db.organizations.listApiKeys(organizationId);
    const live = keys.filter((k) => k.revokedAt === null);
    expect(live).toHaveLength(1);
    const refused = await run('--organization', organizationId, '--revoke-key', live[0]?.id ?? '');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/refusing to revoke/);
    const usage = await run('--rotate-key');
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/--organization <id> is required/);
  });
});
