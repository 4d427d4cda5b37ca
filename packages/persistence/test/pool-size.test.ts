import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../src/crypto/secret-box.js';
import { DEFAULT_POOL_MAX, openDatabase, openDatabaseFromEnv, parsePoolMax } from '../src/database.js';
import { testDatabaseTarget } from '../src/testing/index.js';

describe('DATABASE_POOL_MAX', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['1', 1],
    ['25', 25],
    ['100', 100],
  ])('reads %j as %j', (value, expected) => {
    expect(parsePoolMax(value)).toBe(expected);
  });

  it.each(['0', '101', '2.5', 'ten', '-3'])('refuses %j, naming the variable', (value) => {
    expect(() => parsePoolMax(value)).toThrow(/DATABASE_POOL_MAX must be a whole number from 1 to 100/);
  });

  it('refuses a bad value at start, before connecting', async () => {
    await expect(
      openDatabaseFromEnv({
        env: {
          DATABASE_URL: 'postgresql://127.0.0.1:1/none',
          ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          DATABASE_POOL_MAX: '0',
        },
      }),
    ).rejects.toThrow(/DATABASE_POOL_MAX/);
  });

  it('sizes the ORM pool on PostgreSQL, by default and as asked (the embedded one keeps 3)', async () => {
    const { url, embedded } = testDatabaseTarget();
    for (const [poolMax, expected] of [
      [undefined, embedded ? 3 : DEFAULT_POOL_MAX],
      [4, embedded ? 3 : 4],
    ] as const) {
      const queueSchema = `pool_${randomBytes(4).toString('hex')}_jobs`;
      const db = await openDatabase({
        url,
        embedded,
        migrate: false,
        secretBox: new SecretBox(randomBytes(32)),
        queueMaintenance: false,
        queueSchema,
        ...(poolMax === undefined ? {} : { poolMax }),
      });
      try {
        expect((db.orm.config.get('pool') as { max: number }).max).toBe(expected);
      } finally {
        await db.orm.em.getConnection().execute(`drop schema if exists "${queueSchema}" cascade`);
        await db.close();
      }
    }
  });
});
