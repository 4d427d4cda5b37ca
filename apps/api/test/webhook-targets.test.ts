/**
 * A tenant must not point outgoing webhooks at what only Payrail can reach: loopback, private
 * networks, link-local and cloud metadata, in any spelling, directly or through a name.
 */

import type { PrivateTargetKind, Resolver } from '@payrail/lago-wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDeps, createApiApp } from '../src/index.js';
import { type Harness, startHarness, TEST_SIGNING_KEY } from './harness.js';

const METADATA_AND_LINK_LOCAL = [
  'http://169.254.169.254/latest/meta-data',
  'http://169.254.169.254./latest/meta-data',
  'http://2852039166/latest/meta-data',
  'http://0xa9.0xfe.0xa9.0xfe/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[fd00:ec2::254]/latest/meta-data',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://100.100.100.200/latest/meta-data',
  'http://169.254.0.1/',
  'http://[fe80::1]/',
  'http://0.0.0.0/',
  'http://0/',
  'http://[::]/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
];
const LOOPBACK = [
  'http://127.0.0.1:8080/hook',
  'https://127.0.0.1/',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://017700000001/',
  'http://127.1/',
  'http://[::1]:3000/',
  'http://[::ffff:127.0.0.1]/',
  'http://[0:0:0:0:0:ffff:7f00:1]/',
  'http://localhost:3000/',
  'http://LOCALHOST./',
  'http://api.localhost/',
];
const PRIVATE = [
  'http://10.0.0.1/',
  'http://172.16.5.4/',
  'http://172.31.255.254/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[::ffff:10.0.0.1]/',
];
const FORBIDDEN = [...METADATA_AND_LINK_LOCAL, ...LOOPBACK, ...PRIVATE];

const REFUSED = {
  status: 422,
  error: 'Unprocessable Entity',
  code: 'validation_errors',
  error_details: { webhook_url: ['url_is_invalid'] },
};

describe('webhook endpoint targets', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function storedUrls(key = h.acme.apiKey): Promise<string[]> {
    const list = await h.call('GET', '/api/v1/webhook_endpoints?per_page=100', { key });
    return (list.body as { webhook_endpoints: { webhook_url: string }[] }).webhook_endpoints.map(
      (e) => e.webhook_url,
    );
  }

  it('refuses every forbidden form on create with 422 and stores nothing', async () => {
    for (const url of FORBIDDEN) {
      const res = await h.call('POST', '/api/v1/webhook_endpoints', {
        body: { webhook_endpoint: { webhook_url: url } },
      });
      expect([url, res.status, res.body]).toEqual([url, 422, REFUSED]);
    }
    expect(await storedUrls()).toEqual([]);
    expect(h.logs.join('\n')).not.toContain('"level":"error"');
  });

  it('refuses them on update and through the organization, leaving the stored URL as it was', async () => {
    const created = await h.call('POST', '/api/v1/webhook_endpoints', {
      key: h.globex.apiKey,
      body: { webhook_endpoint: { webhook_url: 'https://hooks.globex.test/lago' } },
    });
    expect(created.status).toBe(200);
    const id = (created.body as { webhook_endpoint: { lago_id: string } }).webhook_endpoint.lago_id;
    for (const url of FORBIDDEN) {
      const put = await h.call('PUT', `/api/v1/webhook_endpoints/${id}`, {
        key: h.globex.apiKey,
        body: { webhook_endpoint: { webhook_url: url } },
      });
      expect([url, put.status, put.body]).toEqual([url, 422, REFUSED]);
      const org = await h.call('PUT', '/api/v1/organizations', {
        key: h.globex.apiKey,
        body: { organization: { webhook_url: url } },
      });
      expect([url, org.status, org.body]).toEqual([url, 422, REFUSED]);
    }
    expect(await storedUrls(h.globex.apiKey)).toEqual(['https://hooks.globex.test/lago']);
  });

  /** The same API with another policy or resolver, on the same database. */
  function apiWith(options: { allow?: readonly PrivateTargetKind[]; resolve?: Resolver }) {
    const app = createApiApp(
      buildApiDeps({
        database: h.db,
        gateways: h.deps.ctx.gateways,
        signingKey: TEST_SIGNING_KEY,
        settings: { publicBaseUrl: 'https://payrail.example.test' },
        ...(options.allow ? { allowPrivateWebhookTargets: options.allow } : {}),
        ...(options.resolve ? { resolveWebhookHosts: options.resolve } : {}),
      }),
    );
    return async (url: string) => {
      const res = await app.request('/api/v1/webhook_endpoints', {
        method: 'POST',
        headers: { authorization: `Bearer ${h.acme.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ webhook_endpoint: { webhook_url: url } }),
      });
      return { status: res.status, body: await res.json() };
    };
  }

  it('refuses a name that resolves to loopback, private or metadata addresses', async () => {
    // localhost through the system resolver.
    const res = await h.call('POST', '/api/v1/webhook_endpoints', {
      body: { webhook_endpoint: { webhook_url: 'http://localhost:4000/hooks' } },
    });
    expect(res.body).toEqual(REFUSED);
    // Names the resolver knows: any refused address among a name's addresses refuses it.
    const table: Record<string, { address: string; family: 4 | 6 }[]> = {
      'hooks.loopback.test': [{ address: '127.0.0.1', family: 4 }],
      'hooks.v6.test': [{ address: '::1', family: 6 }],
      'hooks.intranet.test': [{ address: '10.20.30.40', family: 4 }],
      'hooks.metadata.test': [{ address: '169.254.169.254', family: 4 }],
      'hooks.mixed.test': [
        { address: '93.184.215.14', family: 4 },
        { address: '192.168.0.7', family: 4 },
      ],
      'hooks.public.test': [{ address: '93.184.215.14', family: 4 }],
    };
    const post = apiWith({
      resolve: async (hostname) => {
        const found = table[hostname];
        if (!found) throw new Error(`ENOTFOUND ${hostname}`);
        return found;
      },
    });
    for (const host of Object.keys(table).filter((name) => name !== 'hooks.public.test')) {
      const url = `https://${host}/lago`;
      expect([url, await post(url)]).toEqual([url, { status: 422, body: REFUSED }]);
    }
    expect(await storedUrls()).toEqual([]);
    expect((await post('https://hooks.public.test/lago')).status).toBe(200);
    expect(await storedUrls()).toEqual(['https://hooks.public.test/lago']);
  });

  it('accepts public targets and names that do not resolve yet (the worker checks again)', async () => {
    for (const url of [
      'https://93.184.215.14/hook',
      'https://[2606:4700::1]/hook',
      'https://hooks.nowhere.test/',
    ]) {
      const res = await h.call('POST', '/api/v1/webhook_endpoints', {
        body: { webhook_endpoint: { webhook_url: url } },
      });
      expect([url, res.status]).toEqual([url, 200]);
    }
  });

  it('with loopback allowed, takes loopback targets but still refuses private and metadata ones', async () => {
    const post = apiWith({ allow: ['loopback'] });
    for (const url of ['http://127.0.0.1:4000/hooks', 'http://localhost:4001/hooks', 'http://[::1]:4002/']) {
      expect([url, (await post(url)).status]).toEqual([url, 200]);
    }
    for (const url of [...METADATA_AND_LINK_LOCAL, ...PRIVATE]) {
      expect([url, await post(url)]).toEqual([url, { status: 422, body: REFUSED }]);
    }
  });
});
