import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('Idempotency-Key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const addOn = (code: string, key: string, apiKey = h.acme.apiKey) =>
    h.call('POST', '/api/v1/add_ons', {
      key: apiKey,
      headers: { 'idempotency-key': key },
      body: { add_on: { name: code, code, amount_cents: 100, amount_currency: 'USD' } },
    });

  it('replays the first response for the same request and changes nothing', async () => {
    const first = await addOn('idem_a', 'k-1');
    const second = await addOn('idem_a', 'k-1');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const list = await h.call('GET', '/api/v1/add_ons');
    expect(list.body).toMatchObject({ meta: { total_count: 1 } });
  });

  it('replays a refusal too', async () => {
    await addOn('idem_dup', 'k-dup-1');
    const refused = await addOn('idem_dup', 'k-dup-2');
    const again = await addOn('idem_dup', 'k-dup-2');
    expect(refused.status).toBe(422);
    expect(again).toMatchObject({ status: 422, body: refused.body as object });
  });

  it('refuses the same key with a different body', async () => {
    await addOn('idem_b', 'k-2');
    const other = await addOn('idem_c', 'k-2');
    expect(other).toMatchObject({ status: 422, body: { status: 422, code: 'idempotency_key_reused' } });
    expect((await h.call('GET', '/api/v1/add_ons/idem_c')).status).toBe(404);
  });

  it('answers one of two concurrent identical requests, the other either replays or gets 409', async () => {
    const [a, b] = await Promise.all([addOn('idem_d', 'k-3'), addOn('idem_d', 'k-3')]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    for (const res of [a, b])
      if (res.status === 409) expect(res.body).toMatchObject({ code: 'idempotency_request_in_progress' });
    expect((await h.call('GET', '/api/v1/add_ons?per_page=100')).text.match(/"code":"idem_d"/g)).toHaveLength(
      1,
    );
  });

  it('scopes keys per organization and refuses a malformed key', async () => {
    const theirs = await addOn('idem_e', 'k-1', h.globex.apiKey);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    const malformed = await h.call('POST', '/api/v1/add_ons', {
      headers: { 'idempotency-key': '\u00e9' },
      body: { add_on: {} },
    });
    expect(malformed.status).toBe(400);
  });
});
