import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('creates, lists, updates and deletes endpoints; a duplicate URL is a unique violation', async () => {
    const input = {
      webhookUrl: 'https://example.com/hook',
      signatureAlgo: 'hmac' as const,
      name: null,
      eventTypes: null,
    };
    const endpoint = await db.webhooks.createEndpoint(orgId, input);
    await expect(db.webhooks.createEndpoint(orgId, input)).rejects.toMatchObject({
      name: 'UniqueViolationError',
      field: 'webhook_url',
    });
    const updated = await db.webhooks.updateEndpoint(orgId, endpoint.id, {
      ...input,
      eventTypes: ['invoice.voided'],
    });
    expect(updated?.eventTypes).toEqual(['invoice.voided']);
    expect((await db.webhooks.listEndpoints(orgId)).total).toBe(1);
    expect(await db.webhooks.deleteEndpoint(orgId, endpoint.id)).toMatchObject({ id: endpoint.id });
    expect(await db.webhooks.findEndpoint(orgId, endpoint.id)).toBeNull();
  });

  it('records every delivery attempt and knows which endpoints accepted an event', async () => {
    const endpoint = await db.webhooks.createEndpoint(orgId, {
      webhookUrl: `https://example.com/${randomUUID()}`,
      signatureAlgo: 'jwt',
      name: 'main',
      eventTypes: null,
    });
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
    await db.webhooks.recordAttempt({ ...base, attempt: 2, succeeded: true, httpStatus: 200, error: null });
    expect(await db.webhooks.deliveredEndpointIds(eventId)).toEqual(new Set([endpoint.id]));
    expect((await db.webhooks.listAttempts(eventId)).map((a) => a.httpStatus)).toEqual([503, 200]);
  });
});

describe('API idempotency records', () => {
  it('replays a completed request, refuses a different one and reports one in progress', async () => {
    const key = `idem-${randomUUID()}`;
    const begin = (fingerprint: string) => db.idempotency.begin({ organizationId: orgId, key, fingerprint });
    expect(await begin('a'.repeat(64))).toEqual({ status: 'started' });
    expect(await begin('a'.repeat(64))).toEqual({ status: 'in_progress' });
    await db.idempotency.complete({
      organizationId: orgId,
      key,
      responseStatus: 200,
      responseBody: { ok: 1 },
    });
    expect(await begin('a'.repeat(64))).toEqual({
      status: 'replay',
      responseStatus: 200,
      responseBody: { ok: 1 },
    });
    expect(await begin('b'.repeat(64))).toEqual({ status: 'mismatch' });
  });

  it('frees an abandoned key for a retry', async () => {
    const key = `idem-${randomUUID()}`;
    const input = { organizationId: orgId, key, fingerprint: 'c'.repeat(64) };
    expect(await db.idempotency.begin(input)).toEqual({ status: 'started' });
    await db.idempotency.abandon(orgId, key);
    expect(await db.idempotency.begin(input)).toEqual({ status: 'started' });
  });
});
