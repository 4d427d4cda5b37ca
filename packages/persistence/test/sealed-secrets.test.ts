import { Secret } from '@payrail/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { stripeConnection } from './fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'sealed' });
});
afterAll(() => db?.dispose());

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return db.orm.em.fork().execute(query.replaceAll('§', `"${db.schema}"`), params);
}

describe('a sealed secret belongs to its row', () => {
  it("does not open when copied into another organization's Stripe connection", async () => {
    const a = await db.organizations.create({ name: 'A', documentNumberPrefix: 'AAA-1' });
    const b = await db.organizations.create({ name: 'B', documentNumberPrefix: 'BBB-1' });
    const connA = { ...stripeConnection(a.id, 'stripe_a'), secretKey: new Secret('sk_test_only_for_a') };
    const connB = stripeConnection(b.id, 'stripe_b');
    await db.unitOfWork.run(a.id, (tx) => tx.stripeConnections.insert(connA));
    await db.unitOfWork.run(b.id, (tx) => tx.stripeConnections.insert(connB));

    await sql(
      `update §.stripe_connections set secret_key_sealed = (select secret_key_sealed from §.stripe_connections where id = ?) where id = ?`,
      [connA.id, connB.id],
    );
    await expect(db.unitOfWork.run(b.id, (tx) => tx.stripeConnections.findById(connB.id))).rejects.toThrow();
    // A's own row still opens.
    const own = await db.unitOfWork.run(a.id, (tx) => tx.stripeConnections.findById(connA.id));
    expect(own?.secretKey.reveal()).toBe(connA.secretKey.reveal());
  });

  it('does not open when moved to another column of the same row', async () => {
    const a = await db.organizations.create({ name: 'A2', documentNumberPrefix: 'AAB-1' });
    const conn = stripeConnection(a.id, 'stripe_cols');
    await db.unitOfWork.run(a.id, (tx) => tx.stripeConnections.insert(conn));
    await sql(`update §.stripe_connections set webhook_secret_sealed = secret_key_sealed where id = ?`, [
      conn.id,
    ]);
    await expect(db.unitOfWork.run(a.id, (tx) => tx.stripeConnections.findById(conn.id))).rejects.toThrow();
  });

  it("does not open another organization's webhook HMAC key", async () => {
    const a = await db.organizations.create({ name: 'A3', documentNumberPrefix: 'AAC-1' });
    const b = await db.organizations.create({ name: 'B3', documentNumberPrefix: 'BBC-1' });
    const keyA = await db.organizations.hmacKey(a.id);
    await sql(
      `update §.organizations set hmac_key_sealed = (select hmac_key_sealed from §.organizations where id = ?) where id = ?`,
      [a.id, b.id],
    );
    await expect(db.organizations.hmacKey(b.id)).rejects.toThrow();
    expect(await db.organizations.hmacKey(a.id)).toBe(keyA);
  });
});
