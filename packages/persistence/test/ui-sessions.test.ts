import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UiSessionStore } from '../src/sessions/ui-session-store.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let db: TestDatabase;
let orgId: string;
let now = new Date('2026-12-03T09:00:00Z');
let store: UiSessionStore;
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'uisess' });
  orgId = (await db.organizations.create({ name: 'Acme', documentNumberPrefix: 'ACM-1' })).id;
  store = new UiSessionStore(
    db.orm,
    db.schema,
    db.secretBox,
    { idleSeconds: 600, absoluteSeconds: 3600 },
    () => now,
  );
});
afterAll(() => db?.dispose());

async function rows() {
  return db.orm.em
    .fork()
    .execute<{ token_hash: string; api_key_sealed: string }[]>(
      `select token_hash, api_key_sealed from "${db.schema}".ui_sessions`,
    );
}

describe('web UI sessions', () => {
  it('starts a session for a valid key, storing neither the token nor the key in clear', async () => {
    const { key } = await db.organizations.createApiKey(orgId);
    expect(await store.start('pr_unknown')).toBeNull();
    const started = await store.start(key);
    expect(started?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started?.expiresAt.toISOString()).toBe(new Date(now.getTime() + 3600_000).toISOString());
    const stored = JSON.stringify(await rows());
    expect(stored).not.toContain(started?.token);
    expect(stored).not.toContain(key);
    expect(await store.resume(started?.token ?? '')).toEqual({ organizationId: orgId, apiKey: key });
    expect(await store.resume(`${started?.token}x`)).toBeNull();
  });

  it('ends on sign-out: the same token no longer resumes', async () => {
    const { key } = await db.organizations.createApiKey(orgId);
    const { token } = (await store.start(key)) ?? { token: '' };
    await store.end(token);
    expect(await store.resume(token)).toBeNull();
  });

  it('ends after the idle lifetime, and each request pushes the idle deadline back', async () => {
    const { key } = await db.organizations.createApiKey(orgId);
    const { token } = (await store.start(key)) ?? { token: '' };
    later(500);
    expect(await store.resume(token)).not.toBeNull();
    later(500);
    expect(await store.resume(token)).not.toBeNull();
    later(601);
    expect(await store.resume(token)).toBeNull();
  });

  it('ends at the absolute lifetime however busy', async () => {
    const { key } = await db.organizations.createApiKey(orgId);
    const { token } = (await store.start(key)) ?? { token: '' };
    for (let i = 0; i < 7; i += 1) {
      later(500);
      expect(await store.resume(token)).not.toBeNull();
    }
    later(500); // 4000 s after sign-in
    expect(await store.resume(token)).toBeNull();
  });

  it('ends when its API key is revoked, and sign-in purges sessions that are over', async () => {
    const created = await db.organizations.createApiKey(orgId);
    const { token } = (await store.start(created.key)) ?? { token: '' };
    await db.organizations.revokeApiKey(orgId, created.id);
    expect(await store.resume(token)).toBeNull();
    expect(await store.start(created.key)).toBeNull();

    later(3601);
    const fresh = await db.organizations.createApiKey(orgId);
    await store.start(fresh.key);
    expect((await rows()).length).toBe(1); // only the fresh one: every earlier session is over
  });
});
