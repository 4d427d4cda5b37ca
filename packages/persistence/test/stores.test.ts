import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdempotencyStore, MAX_WEBHOOK_ENDPOINTS } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

let db: TestDatabase;
let orgId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  orgId = (await db.organizations.create({ name: 'Acme', documentNumberPrefix: 'ACM-1' })).id;
});
afterAll(() => db?.dispose());

describe('organizations and API keys', () => {
  it('authenticates a key by its hash and never stores the key', async () => {
    const created = await db.organizations.createApiKey(orgId, 'ci');
    expect(await db.organizations.authenticate(created.key)).toBe(orgId);
    expect(await db.organizations.authenticate(`${created.key}x`)).toBeNull();
    const rows: { key_hash: string; visible_prefix: string }[] = await db.orm.em
      .fork()
      .execute(`select key_hash, visible_prefix from "${db.schema}".api_keys where id = ?`, [created.id]);
    expect(rows[0]?.key_hash).not.toContain(created.key);
    expect(created.key.startsWith(rows[0]?.visible_prefix ?? '?')).toBe(true);
    expect(await db.organizations.revokeApiKey(orgId, created.id)).toBe(true);
    expect(await db.organizations.authenticate(created.key)).toBeNull();
  });

  it('lists keys with their last use, so a rotation can wait for the new key to be in use', async () => {
    const org = (await db.organizations.create({ name: 'Rotate', documentNumberPrefix: 'ROT-1' })).id;
    const old = await db.organizations.createApiKey(org, 'first');
    const fresh = await db.organizations.createApiKey(org, 'second');
    expect((await db.organizations.listApiKeys(org)).map((k) => [k.id, k.lastUsedAt])).toEqual([
      [fresh.id, null],
      [old.id, null],
    ]);
    await db.organizations.authenticate(fresh.key);
    const [newest, oldest] = await db.organizations.listApiKeys(org);
    expect(newest?.lastUsedAt).toBeInstanceOf(Date);
    expect(oldest?.lastUsedAt).toBeNull();
    await db.organizations.revokeApiKey(org, old.id);
    expect((await db.organizations.listApiKeys(org))[1]?.revokedAt).toBeInstanceOf(Date);
    expect(await db.organizations.findOrganization(org)).toMatchObject({ id: org, name: 'Rotate' });
  });

  it('keeps the webhook HMAC key sealed at rest', async () => {
    const key = await db.organizations.hmacKey(orgId);
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const rows: { hmac_key_sealed: string }[] = await db.orm.em
      .fork()
      .execute(`select hmac_key_sealed from "${db.schema}".organizations where id = ?`, [orgId]);
    expect(rows[0]?.hmac_key_sealed).not.toContain(key);
  });
});

describe('webhook endpoints and deliveries', () => {
  const fields = (webhookUrl: string) => ({
    webhookUrl,
    signatureAlgo: 'hmac' as const,
    name: null,
    eventTypes: null,
  });

  it('creates, lists by URL, updates and deletes endpoints; a URL is taken once', async () => {
    const org = (await db.organizations.create({ name: 'Hooks', documentNumberPrefix: 'HOO-1' })).id;
    const b = await db.webhookEndpoints.create(org, fields('https://example.com/b'));
    const a = await db.webhookEndpoints.create(org, fields('https://example.com/a'));
    if (!a.ok || !b.ok) throw new Error('endpoints not created');
    expect(await db.webhookEndpoints.create(org, fields('https://example.com/a'))).toEqual({
      ok: false,
      reason: 'url_taken',
    });
    expect(
      await db.webhookEndpoints.update(org, b.endpoint.id, { webhookUrl: 'https://example.com/a' }),
    ).toEqual({ ok: false, reason: 'url_taken' });
    const updated = await db.webhookEndpoints.update(org, b.endpoint.id, { eventTypes: ['invoice.voided'] });
    expect(updated.ok && updated.endpoint.eventTypes).toEqual(['invoice.voided']);
    const listed = await db.webhookEndpoints.list(org);
    expect(listed.totalCount).toBe(2);
    expect(listed.items.map((e) => e.webhookUrl)).toEqual(['https://example.com/a', 'https://example.com/b']);
    expect(await db.webhookEndpoints.delete(org, a.endpoint.id)).toMatchObject({ id: a.endpoint.id });
    expect(await db.webhookEndpoints.find(org, a.endpoint.id)).toBeNull();
    expect(await db.webhookEndpoints.update(org, a.endpoint.id, { name: 'gone' })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    // Another organization sees none of them.
    expect(await db.webhookEndpoints.find(orgId, b.endpoint.id)).toBeNull();
  });

  it(`keeps at most ${MAX_WEBHOOK_ENDPOINTS} endpoints per organization`, async () => {
    const org = (await db.organizations.create({ name: 'Many', documentNumberPrefix: 'MAN-1' })).id;
    const results = [];
    for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS + 2; i++)
      results.push(await db.webhookEndpoints.create(org, fields(`https://example.com/${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_WEBHOOK_ENDPOINTS);
    expect(results.at(-1)).toEqual({ ok: false, reason: 'limit_reached' });
    expect((await db.webhookEndpoints.list(org)).totalCount).toBe(MAX_WEBHOOK_ENDPOINTS);
  });

  it(`keeps at most ${MAX_WEBHOOK_ENDPOINTS} endpoints when creates race`, async () => {
    // Rounds, because one may miss the race; without the lock, a racing round let 6 to 8 of 8 in.
    for (let round = 0; round < 20; round++) {
      const org = (await db.organizations.create({ name: 'Race', documentNumberPrefix: `RAC-${round}` })).id;
      const first = [];
      for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS - 2; i++)
        first.push(await db.webhookEndpoints.create(org, fields(`https://example.com/first/${i}`)));
      expect(first.every((r) => r.ok)).toBe(true);
      // Two places left, asked for by many at once: each create must see the others' rows.
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          db.webhookEndpoints.create(org, fields(`https://example.com/race/${i}`)),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      expect(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason))).toEqual(
        new Set(['limit_reached']),
      );
      expect((await db.webhookEndpoints.list(org)).totalCount).toBe(MAX_WEBHOOK_ENDPOINTS);
    }
  });

  it('sets the first endpoint URL, creating the endpoint when there is none', async () => {
    const org = (await db.organizations.create({ name: 'First', documentNumberPrefix: 'FIR-1' })).id;
    const created = await db.webhookEndpoints.upsertFirst(org, 'https://example.com/one');
    expect(created).toMatchObject({ ok: true, endpoint: { signatureAlgo: 'jwt', eventTypes: null } });
    const moved = await db.webhookEndpoints.upsertFirst(org, 'https://example.com/two');
    expect(moved.ok && created.ok && moved.endpoint.id === created.endpoint.id).toBe(true);
    expect((await db.webhookEndpoints.list(org)).items.map((e) => e.webhookUrl)).toEqual([
      'https://example.com/two',
    ]);
  });

  it('records every delivery attempt and knows which endpoints accepted an event', async () => {
    const created = await db.webhookEndpoints.create(orgId, {
      webhookUrl: `https://example.com/${randomUUID()}`,
      signatureAlgo: 'jwt',
      name: 'main',
      eventTypes: null,
    });
    if (!created.ok) throw new Error(created.reason);
    const endpoint = created.endpoint;
    const eventId = randomUUID();
    await db.unitOfWork.run(orgId, (tx) =>
      tx.outbox.publish({
        id: eventId,
        organizationId: orgId,
        occurredAt: new Date(),
        type: 'invoice.voided',
        objectType: 'invoice',
        data: { lago_invoice_id: randomUUID() },
      }),
    );
    expect((await db.webhooks.findEvent(eventId))?.webhookType).toBe('invoice.voided');
    const base = {
      eventId,
      endpointId: endpoint.id,
      responseExcerpt: null,
      durationMs: 12,
      attemptedAt: new Date(),
    };
    await db.webhooks.recordAttempt({
      ...base,
      attempt: 1,
      succeeded: false,
      httpStatus: 503,
      error: 'unavailable',
    });
    expect(await db.webhooks.deliveredEndpointIds(eventId)).toEqual(new Set());
    await db.webhooks.recordAttempt({
      ...base,
      attempt: 2,
      succeeded: true,
      httpStatus: 200,
      error: null,
      attemptedAt: new Date(base.attemptedAt.getTime() + 1000),
    });
    expect(await db.webhooks.deliveredEndpointIds(eventId)).toEqual(new Set([endpoint.id]));
    expect((await db.webhooks.listAttempts(eventId)).map((a) => a.httpStatus)).toEqual([503, 200]);
    const log = await db.webhookDeliveries.list(orgId, { eventId }, { page: 1, perPage: 1 });
    expect(log.totalCount).toBe(2);
    expect(log.items.map((d) => [d.attempt, d.webhookType, d.webhookUrl])).toEqual([
      [2, 'invoice.voided', endpoint.webhookUrl],
    ]);
    const other = (await db.organizations.create({ name: 'Other', documentNumberPrefix: 'OTH-1' })).id;
    expect((await db.webhookDeliveries.list(other, { eventId }, { page: 1, perPage: 10 })).totalCount).toBe(
      0,
    );
    expect(await db.webhooks.redeliver(other, eventId, new Date())).toBeNull();
    expect(await db.webhooks.redeliver(orgId, eventId, new Date())).toEqual({
      webhookType: 'invoice.voided',
      objectType: 'invoice',
    });
  });
});

describe('API idempotency records', () => {
  const DAY_MS = 86_400_000;
  const begin = (store: IdempotencyStore, key: string, fingerprint: string, now = new Date()) =>
    store.begin({ organizationId: orgId, key, fingerprint, expiresAt: new Date(now.getTime() + DAY_MS) });

  it('replays a completed request, refuses a different one and reports one in progress', async () => {
    const key = `idem-${randomUUID()}`;
    const started = await begin(db.idempotency, key, 'a'.repeat(64));
    if (started.kind !== 'started') throw new Error(started.kind);
    expect(await begin(db.idempotency, key, 'a'.repeat(64))).toEqual({ kind: 'in_progress' });
    await db.idempotency.complete({ recordId: started.recordId, status: 200, body: { ok: 1 } });
    expect(await begin(db.idempotency, key, 'a'.repeat(64))).toEqual({
      kind: 'replay',
      status: 200,
      body: { ok: 1 },
    });
    expect(await begin(db.idempotency, key, 'b'.repeat(64))).toEqual({ kind: 'mismatch' });
  });

  it('frees an abandoned key for a retry', async () => {
    const key = `idem-${randomUUID()}`;
    const started = await begin(db.idempotency, key, 'c'.repeat(64));
    if (started.kind !== 'started') throw new Error(started.kind);
    await db.idempotency.abandon({ recordId: started.recordId });
    expect(await begin(db.idempotency, key, 'c'.repeat(64))).toMatchObject({ kind: 'started' });
  });

  it('answers a released key from what its request committed, and frees a dead one that wrote nothing', async () => {
    const key = `idem-${randomUUID()}`;
    const started = await begin(db.idempotency, key, 'd'.repeat(64));
    if (started.kind !== 'started') throw new Error(started.kind);
    const written = { inserted: { customers: [randomUUID()] }, updated: {} };
    await db.unitOfWork.run(orgId, (tx) =>
      db.idempotency.markCommitted(tx, { recordId: started.recordId, written }),
    );
    await db.idempotency.release({ recordId: started.recordId });
    expect(await begin(db.idempotency, key, 'd'.repeat(64))).toEqual({
      kind: 'replay_committed',
      recordId: started.recordId,
      written,
    });

    const dead = `idem-${randomUUID()}`;
    const first = await begin(db.idempotency, dead, 'e'.repeat(64));
    if (first.kind !== 'started') throw new Error(first.kind);
    expect(await begin(db.idempotency, dead, 'e'.repeat(64))).toEqual({ kind: 'in_progress' });
    const later = new Date(Date.now() + 5 * 60_000);
    const retry = await begin(
      db.idempotency.withClock(() => later),
      dead,
      'e'.repeat(64),
      later,
    );
    expect(retry).toMatchObject({ kind: 'started' });
    // The dead request's record is gone: it can no longer commit under the key.
    await expect(
      db.unitOfWork.run(orgId, (tx) =>
        db.idempotency.markCommitted(tx, {
          recordId: first.recordId,
          written: { inserted: {}, updated: {} },
        }),
      ),
    ).rejects.toThrow(/no longer held/);
  });
});

describe('organization HMAC key', () => {
  it('rotates the key: the new one is returned once and signs from then on', async () => {
    const org = (await db.organizations.create({ name: 'Rotating', documentNumberPrefix: 'ROH-1' })).id;
    const before = await db.organizations.hmacKey(org);
    const rotated = await db.organizations.rotateHmacKey(org);
    expect(rotated).not.toBe(before);
    expect(await db.organizations.hmacKey(org)).toBe(rotated);
    expect((await db.organizations.findOrganization(org))?.version).toBe(2);
  });
});
