import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

interface Endpoint {
  lago_id: string;
  webhook_url: string;
  signature_algo: string;
  event_types: string[] | null;
}

describe('webhook endpoints and organization', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const create = (webhook_endpoint: Record<string, unknown>, key?: string) =>
    h.call('POST', '/api/v1/webhook_endpoints', { body: { webhook_endpoint }, ...(key ? { key } : {}) });

  it('creates (jwt by default), lists by URL, gets, updates and deletes', async () => {
    const res = await create({ webhook_url: 'https://b.example.test/hook' });
    expect(res.status).toBe(200);
    const endpoint = (res.body as { webhook_endpoint: Endpoint }).webhook_endpoint;
    expect(endpoint).toMatchObject({
      signature_algo: 'jwt',
      event_types: null,
      lago_organization_id: h.acme.organizationId,
    });
    await create({
      webhook_url: 'https://a.example.test/hook',
      signature_algo: 'hmac',
      event_types: ['invoice.voided'],
    });
    const list = await h.call('GET', '/api/v1/webhook_endpoints');
    const urls = (list.body as { webhook_endpoints: Endpoint[] }).webhook_endpoints.map((e) => e.webhook_url);
    expect(urls).toEqual(['https://a.example.test/hook', 'https://b.example.test/hook']);
    expect((await h.call('GET', `/api/v1/webhook_endpoints/${endpoint.lago_id}`)).status).toBe(200);
    const updated = await h.call('PUT', `/api/v1/webhook_endpoints/${endpoint.lago_id}`, {
      body: { webhook_endpoint: { signature_algo: 'hmac', event_types: ['*'] } },
    });
    expect(updated.body).toMatchObject({ webhook_endpoint: { signature_algo: 'hmac', event_types: null } });
    const deleted = await h.call('DELETE', `/api/v1/webhook_endpoints/${endpoint.lago_id}`);
    expect(deleted.body).toMatchObject({ webhook_endpoint: { lago_id: endpoint.lago_id } });
    expect((await h.call('GET', `/api/v1/webhook_endpoints/${endpoint.lago_id}`)).body).toEqual({
      status: 404,
      error: 'Not Found',
      code: 'webhook_endpoint_not_found',
    });
  });

  it('refuses invalid URLs, duplicates, unknown event types and an 11th endpoint', async () => {
    expect((await create({ webhook_url: 'ftp://x.test' })).body).toMatchObject({
      status: 422,
      error_details: { webhook_url: ['url_is_invalid'] },
    });
    expect((await create({ webhook_url: 'https://a.example.test/hook' })).body).toMatchObject({
      error_details: { webhook_url: ['value_already_exist'] },
    });
    expect((await create({ webhook_url: 'https://c.test', event_types: ['nope.event'] })).body).toMatchObject(
      {
        error_details: { event_types: ['value_is_invalid'] },
      },
    );
    const key = h.globex.apiKey;
    for (let i = 0; i < 10; i++)
      expect((await create({ webhook_url: `https://g${i}.test` }, key)).status).toBe(200);
    expect((await create({ webhook_url: 'https://g10.test' }, key)).body).toMatchObject({
      status: 422,
      error_details: { base: ['exceeded_limit'] },
    });
  });

  it('keeps endpoints per organization', async () => {
    const mine = (await create({ webhook_url: 'https://mine.test/h' })).body as {
      webhook_endpoint: Endpoint;
    };
    const id = mine.webhook_endpoint.lago_id;
    const other = h.globex.apiKey;
    expect((await h.call('GET', `/api/v1/webhook_endpoints/${id}`, { key: other })).status).toBe(404);
    expect((await h.call('DELETE', `/api/v1/webhook_endpoints/${id}`, { key: other })).status).toBe(404);
    const list = await h.call('GET', '/api/v1/webhook_endpoints', { key: other });
    expect(list.text).not.toContain('mine.test');
  });

  it('shows the organization and sets the first endpoint through webhook_url', async () => {
    const before = await h.call('GET', '/api/v1/organizations');
    expect(before.body).toMatchObject({ organization: { lago_id: h.acme.organizationId, name: 'Acme' } });
    const res = await h.call('PUT', '/api/v1/organizations', {
      body: { organization: { webhook_url: 'https://first.example.test/w' } },
    });
    expect(res.status).toBe(200);
    expect((res.body as { organization: { webhook_urls: string[] } }).organization.webhook_urls).toContain(
      'https://first.example.test/w',
    );
    const bad = await h.call('PUT', '/api/v1/organizations', {
      body: { organization: { webhook_url: 'nope' } },
    });
    expect(bad).toMatchObject({ status: 422, body: { error_details: { webhook_url: ['url_is_invalid'] } } });
  });

  it('rotates the HMAC key: the new one is what persistence hands the signer', async () => {
    const before = (await h.call('GET', '/api/v1/organizations/hmac_key')).body as { hmac_key: string };
    expect(before.hmac_key).toBe(await h.db.organizations.hmacKey(h.acme.organizationId));
    const rotated = (await h.call('POST', '/api/v1/organizations/hmac_key/rotate')).body as {
      hmac_key: string;
    };
    expect(rotated.hmac_key).not.toBe(before.hmac_key);
    expect(await h.db.organizations.hmacKey(h.acme.organizationId)).toBe(rotated.hmac_key);
    expect(await h.db.organizations.hmacKey(h.globex.organizationId)).not.toBe(rotated.hmac_key);
    expect(h.logs.join('\n')).not.toContain(rotated.hmac_key);
  });
});
