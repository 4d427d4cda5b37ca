import { describe, expect, it } from 'vitest';
import {
  type AddressClass,
  addressAllowed,
  checkWebhookTarget,
  classifyAddress,
  parsePrivateTargets,
  type ResolvedAddress,
  type Resolver,
} from './target.js';

const cases: readonly [string, AddressClass, string][] = [
  // public
  ['8.8.8.8', 'public', 'public IPv4'],
  ['93.184.215.14', 'public', 'public IPv4'],
  ['2606:4700:4700::1111', 'public', 'public IPv6'],
  ['64:ff9b::808:808', 'public', 'NAT64 of a public IPv4'],
  ['2002:808:808::1', 'public', '6to4 of a public IPv4'],
  // loopback
  ['127.0.0.1', 'loopback', '127/8'],
  ['127.255.255.254', 'loopback', '127/8, far end'],
  ['::1', 'loopback', 'IPv6 loopback'],
  ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'loopback', 'IPv4-mapped loopback, hex'],
  ['::ffff:0:7f00:1', 'loopback', 'SIIT (rfc6145) loopback'],
  ['64:ff9b::7f00:1', 'loopback', 'NAT64 of loopback'],
  ['64:ff9b:1::7f00:1', 'loopback', 'local-use NAT64 of loopback'],
  ['2002:7f00:1::', 'loopback', '6to4 of loopback'],
  // private
  ['10.0.0.1', 'private', '10/8'],
  ['172.16.0.1', 'private', '172.16/12'],
  ['172.31.255.255', 'private', '172.16/12, far end'],
  ['192.168.1.1', 'private', '192.168/16'],
  ['100.64.0.1', 'private', 'CGNAT 100.64/10'],
  ['100.127.255.254', 'private', 'CGNAT, far end'],
  ['fc00::1', 'private', 'unique local fc00::/7'],
  ['fd12:3456::1', 'private', 'unique local fd'],
  ['::ffff:10.1.2.3', 'private', 'IPv4-mapped 10/8'],
  ['::ffff:192.168.0.1', 'private', 'IPv4-mapped 192.168/16'],
  // forbidden whatever the setting
  ['169.254.169.254', 'forbidden', 'cloud metadata'],
  ['169.254.0.1', 'forbidden', 'link-local 169.254/16'],
  ['169.254.170.2', 'forbidden', 'ECS task metadata'],
  ['100.100.100.200', 'forbidden', 'Alibaba metadata inside CGNAT'],
  ['168.63.129.16', 'forbidden', 'Azure platform endpoint'],
  ['fd00:ec2::254', 'forbidden', 'AWS IMDS over IPv6, inside fc00::/7'],
  ['fd00:ec2::23', 'forbidden', 'AWS service range'],
  ['fe80::1', 'forbidden', 'IPv6 link-local'],
  ['febf::1', 'forbidden', 'IPv6 link-local, far end'],
  ['fe80::1%eth0', 'forbidden', 'link-local with a zone'],
  ['0.0.0.0', 'forbidden', 'unspecified'],
  ['0.1.2.3', 'forbidden', '0/8'],
  ['::', 'forbidden', 'IPv6 unspecified'],
  ['224.0.0.1', 'forbidden', 'multicast'],
  ['239.255.255.250', 'forbidden', 'multicast, far end'],
  ['ff02::1', 'forbidden', 'IPv6 multicast'],
  ['255.255.255.255', 'forbidden', 'broadcast'],
  ['240.0.0.1', 'forbidden', 'reserved 240/4'],
  ['192.0.2.1', 'forbidden', 'documentation'],
  ['198.18.0.1', 'forbidden', 'benchmarking'],
  ['2001:db8::1', 'forbidden', 'IPv6 documentation'],
  ['2001::1', 'forbidden', 'Teredo'],
  ['fec0::1', 'forbidden', 'deprecated site-local'],
  ['::7f00:1', 'forbidden', 'deprecated IPv4-compatible'],
  ['::ffff:169.254.169.254', 'forbidden', 'IPv4-mapped metadata'],
  ['::ffff:a9fe:a9fe', 'forbidden', 'IPv4-mapped metadata, hex'],
  ['::ffff:0.0.0.0', 'forbidden', 'IPv4-mapped unspecified'],
  ['::ffff:224.0.0.1', 'forbidden', 'IPv4-mapped multicast'],
  ['::ffff:255.255.255.255', 'forbidden', 'IPv4-mapped broadcast'],
  ['::ffff:100.100.100.200', 'forbidden', 'IPv4-mapped Alibaba metadata'],
  ['64:ff9b::a9fe:a9fe', 'forbidden', 'NAT64 of metadata'],
  ['2002:a9fe:a9fe::', 'forbidden', '6to4 of metadata'],
  ['not-an-address', 'forbidden', 'not an address'],
  ['127.1', 'forbidden', 'short form (URL parsing normalises it first)'],
];

describe('classifyAddress', () => {
  it.each(cases)('%s is %s (%s)', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('opens loopback and private ranges only as the setting says, and never the forbidden ones', () => {
    for (const [address, kind] of cases) {
      const none = addressAllowed(address, []);
      const loopback = addressAllowed(address, ['loopback']);
      const both = addressAllowed(address, ['loopback', 'private']);
      expect([address, none, loopback, both]).toEqual([
        address,
        kind === 'public',
        kind === 'public' || kind === 'loopback',
        kind !== 'forbidden',
      ]);
    }
  });
});

describe('parsePrivateTargets', () => {
  it('reads none, loopback, private and lists of them', () => {
    expect(parsePrivateTargets(undefined)).toEqual([]);
    expect(parsePrivateTargets('')).toEqual([]);
    expect(parsePrivateTargets('none')).toEqual([]);
    expect(parsePrivateTargets('loopback')).toEqual(['loopback']);
    expect(parsePrivateTargets(' Loopback , private ')).toEqual(['loopback', 'private']);
  });

  it('names the variable for anything else', () => {
    for (const value of ['true', 'all', 'loopback,metadata', 'link-local', 'loopback,']) {
      expect(() => parsePrivateTargets(value)).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    }
  });
});

function resolver(table: Record<string, readonly ResolvedAddress[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(resolve, { calls });
}

describe('checkWebhookTarget', () => {
  const dns = resolver({
    'hooks.example.com': [{ address: '93.184.215.14', family: 4 }],
    'internal.example.com': [{ address: '10.0.0.5', family: 4 }],
    'mixed.example.com': [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
    'metadata.example.com': [{ address: '169.254.169.254', family: 4 }],
    'v6.example.com': [{ address: '::ffff:127.0.0.1', family: 6 }],
    localhost: [{ address: '127.0.0.1', family: 4 }],
    'empty.example.com': [],
  });

  it('refuses every spelling of loopback, private and metadata that URL parsing normalises', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://017700000001/',
      'http://127.1:8080/x',
      'http://0/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
      'http://10.0.0.1/',
      'https://192.168.0.10/',
      'http://[fc00::1]/',
      'http://[fe80::1]/',
      'http://localhost/',
      'http://LOCALHOST./',
      'http://api.localhost/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://internal.example.com/',
      'http://mixed.example.com/',
      'http://metadata.example.com/',
      'http://v6.example.com/',
    ]) {
      expect([url, await checkWebhookTarget(url, [], dns)]).toEqual([url, { ok: false, reason: 'refused' }]);
    }
  });

  it('allows public targets and hands back the addresses it checked', async () => {
    const target = await checkWebhookTarget('https://hooks.example.com/lago', [], dns);
    expect(target).toMatchObject({ ok: true, addresses: [{ address: '93.184.215.14', family: 4 }] });
    const literal = await checkWebhookTarget('http://[2606:4700::1]:8443/', [], dns);
    expect(literal).toMatchObject({ ok: true, addresses: [{ address: '2606:4700::1', family: 6 }] });
  });

  it('opens loopback (by address and by name) only when allowed, and metadata never', async () => {
    expect(await checkWebhookTarget('http://127.0.0.1:4000/', ['loopback'], dns)).toMatchObject({ ok: true });
    expect(await checkWebhookTarget('http://localhost:4000/', ['loopback'], dns)).toMatchObject({
      ok: true,
      addresses: [{ address: '127.0.0.1', family: 4 }],
    });
    expect(await checkWebhookTarget('http://internal.example.com/', ['loopback'], dns)).toEqual({
      ok: false,
      reason: 'refused',
    });
    expect(await checkWebhookTarget('http://internal.example.com/', ['private'], dns)).toMatchObject({
      ok: true,
    });
    for (const url of ['http://169.254.169.254/', 'http://metadata.google.internal/', 'http://0.0.0.0/']) {
      expect(await checkWebhookTarget(url, ['loopback', 'private'], dns)).toEqual({
        ok: false,
        reason: 'refused',
      });
    }
  });

  it('tells names that do not resolve from refused ones, and URLs that are not http(s)', async () => {
    expect(await checkWebhookTarget('https://nowhere.test/', [], dns)).toEqual({
      ok: false,
      reason: 'unresolved',
    });
    expect(await checkWebhookTarget('https://empty.example.com/', [], dns)).toEqual({
      ok: false,
      reason: 'unresolved',
    });
    for (const url of ['ftp://hooks.example.com/', 'file:///etc/passwd', 'nope', 'http://']) {
      expect(await checkWebhookTarget(url, [], dns)).toEqual({ ok: false, reason: 'invalid_url' });
    }
  });
});
