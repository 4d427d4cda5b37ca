import { createCipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countNotCurrent, rotateSecrets } from '../src/crypto/rotate-secrets.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { OrganizationStore } from '../src/organizations/organization-store.js';
import { SqlStripeConnectionRepository } from '../src/repositories/stripe-connections.js';
import { UiSessionStore } from '../src/sessions/ui-session-store.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { stripeConnection } from './fixtures.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
let db: TestDatabase;
const orgIds: string[] = [];
const connectionIds: string[] = [];
let legacyOrgId = '';
let sessionToken = '';
let sessionApiKey = '';
const LEGACY_HMAC_KEY = 'b7c0f6c2-legacy-hmac-key';

/** The previous stored format: `v1`, no key id, no associated data. */
function sealV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url'))].join(':');
}

async function readAll(box: SecretBox) {
  const organizations = new OrganizationStore(db.orm, box);
  const connections = new SqlStripeConnectionRepository(db.orm.em.fork(), box, db.schema);
  return {
    hmacKeys: await Promise.all(orgIds.map((id) => organizations.hmacKey(id))),
    session: await new UiSessionStore(db.orm, db.schema, box).resume(sessionToken),
    secrets: await Promise.all(
      connectionIds.map(async (id) => {
        const c = await connections.findById(id);
        return [c?.secretKey.reveal(), c?.webhookEndpoint.signingSecret.reveal()];
      }),
    ),
  };
}

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'rotate', secretBox: new SecretBox(oldKey) });
  for (const name of ['A', 'B', 'C']) {
    const org = await db.organizations.create({ name, documentNumberPrefix: `${name}${name}${name}-1` });
    orgIds.push(org.id);
    const connection = stripeConnection(org.id, `stripe_${name}`);
    connectionIds.push(connection.id);
    await db.unitOfWork.run(org.id, (tx) => tx.stripeConnections.insert(connection));
  }
  // A signed-in web UI session holds the API key it calls the REST API with.
  sessionApiKey = (await db.organizations.createApiKey(orgIds[0] ?? '')).key;
  sessionToken =
    (await new UiSessionStore(db.orm, db.schema, db.secretBox).start(sessionApiKey))?.token ?? '';
  // A secret stored before secrets were bound to their row.
  legacyOrgId = orgIds[2] ?? '';
  await db.orm.em
    .fork()
    .execute(`update "${db.schema}".organizations set hmac_key_sealed = ? where id = ?`, [
      sealV1(oldKey, LEGACY_HMAC_KEY),
      legacyOrgId,
    ]);
});
afterAll(() => db?.dispose());

describe('rotating ENCRYPTION_KEY', () => {
  it('re-seals every secret under the new key, after which the old key can be dropped', async () => {
    const before = await readAll(new SecretBox(oldKey));
    expect(before.hmacKeys[2]).toBe(LEGACY_HMAC_KEY);
    expect(before.session?.apiKey).toBe(sessionApiKey);
    const total = orgIds.length + 2 * connectionIds.length + 1;

    const rotating = new SecretBox(newKey, [oldKey]);
    expect(await countNotCurrent(db.orm, db.schema, rotating)).toBe(total);
    const report = await rotateSecrets(db.orm, db.schema, rotating);
    console.log(
      `secret rotation: ${report.resealed} re-sealed of ${total}, ${report.remaining} left under the old key`,
    );
    expect(report).toMatchObject({ resealed: total, current: 0, changedMeanwhile: 0, remaining: 0 });

    // The new key alone opens everything, with the same values; the old key alone opens nothing.
    expect(await readAll(new SecretBox(newKey))).toEqual(before);
    await expect(new OrganizationStore(db.orm, new SecretBox(oldKey)).hmacKey(legacyOrgId)).rejects.toThrow(
      /unknown key/,
    );
    const stored: { hmac_key_sealed: string }[] = await db.orm.em
      .fork()
      .execute(`select hmac_key_sealed from "${db.schema}".organizations where id = ?`, [legacyOrgId]);
    expect(stored[0]?.hmac_key_sealed.startsWith(`v2:${rotating.keyId}:`)).toBe(true);

    // A second run finds nothing to do.
    const again = await rotateSecrets(db.orm, db.schema, rotating);
    expect(again).toMatchObject({ resealed: 0, current: total, remaining: 0 });
  });

  it('stops on a secret that does not open, naming its column and row but not its value', async () => {
    await db.orm.em
      .fork()
      .execute(
        `update "${db.schema}".stripe_connections set secret_key_sealed = (select secret_key_sealed from "${db.schema}".stripe_connections where id = ?) where id = ?`,
        [connectionIds[0], connectionIds[1]],
      );
    const error = await rotateSecrets(db.orm, db.schema, new SecretBox(randomBytes(32), [newKey])).catch(
      (e: Error) => e,
    );
    expect(String(error)).toContain('stripe_connections.secret_key_sealed');
    expect(String(error)).toContain(connectionIds[1]);
    expect(String(error)).not.toContain('sk_test');
  });
});
