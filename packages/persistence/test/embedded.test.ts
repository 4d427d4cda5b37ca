import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabaseFromEnv } from '../src/database.js';
import { seedWorld } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('embedded database', () => {
  it('keeps data and sealed secrets across a restart of the same data directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'payrail-embedded-'));
    dirs.push(root);
    const dataDir = join(root, 'pglite');
    const env = { NODE_ENV: 'development' };

    const first = await openDatabaseFromEnv({ env, dataDir, queueMaintenance: false });
    let world: Awaited<ReturnType<typeof seedWorld>>;
    try {
      world = await seedWorld({ ...first, url: '', embedded: true, dispose: first.close });
    } finally {
      await first.close();
    }
    const key = await readFile(join(root, 'encryption.key'), 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);

    const second = await openDatabaseFromEnv({ env, dataDir, queueMaintenance: false });
    try {
      const connection = await second.unitOfWork.run(null, (tx) =>
        tx.stripeConnections.findById(world.connection.id),
      );
      expect(connection?.secretKey.reveal()).toBe(world.connection.secretKey.reveal());
      expect(await second.unitOfWork.run(null, (tx) => tx.customers.findById(world.customer.id))).toEqual(
        world.customer,
      );
    } finally {
      await second.close();
    }
    // Two cold starts of a file-backed PGlite (initdb, migrations, job schema) on a shared machine.
  }, 180_000);

  it('refuses a shared database without ENCRYPTION_KEY', async () => {
    await expect(
      openDatabaseFromEnv({ env: { DATABASE_URL: 'postgresql://127.0.0.1:1/none' } }),
    ).rejects.toThrow(/ENCRYPTION_KEY is required with DATABASE_URL/);
  });

  it('refuses to start in production without ENCRYPTION_KEY', async () => {
    const root = await mkdtemp(join(tmpdir(), 'payrail-embedded-'));
    dirs.push(root);
    await expect(
      openDatabaseFromEnv({ env: { NODE_ENV: 'production' }, dataDir: join(root, 'pglite') }),
    ).rejects.toThrow(/ENCRYPTION_KEY/);
  });
});
