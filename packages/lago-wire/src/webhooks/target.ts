import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where outgoing webhooks may go. A merchant names any URL; the worker POSTs from inside the
 * deployment, so a URL that reaches loopback, a private network or a cloud metadata service would
 * let a tenant probe what only Payrail can reach. Each address is put in one class:
 *
 * - `public`: globally routable unicast; always allowed.
 * - `loopback` (127.0.0.0/8, ::1) and `private` (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7):
 *   allowed only when the deployment says so (`WEBHOOK_ALLOW_PRIVATE_TARGETS`).
 * - `forbidden`: everything else, whatever the setting: link-local (169.254/16, fe80::/10, where
 *   cloud metadata lives), the metadata addresses themselves, 0.0.0.0/8, `::`, multicast,
 *   broadcast, reserved and documentation ranges, deprecated and tunnelling IPv6 forms.
 *
 * IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, SIIT, NAT64, 6to4) are judged by
 * the IPv4 address inside. Decision 0800.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'forbidden';

/** The classes a deployment may open up; `public` is always open, `forbidden` never. */
export type PrivateTargetKind = 'loopback' | 'private';

export const PRIVATE_TARGETS_VARIABLE = 'WEBHOOK_ALLOW_PRIVATE_TARGETS';

const PRIVATE_TARGET_KINDS: readonly PrivateTargetKind[] = ['loopback', 'private'];

/**
 * `WEBHOOK_ALLOW_PRIVATE_TARGETS`: unset, empty or `none` allows neither; otherwise a comma-separated
 * list of `loopback` and `private`. Anything else is a configuration error naming the variable.
 */
export function parsePrivateTargets(raw: string | undefined): readonly PrivateTargetKind[] {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'none') return [];
  const kinds = new Set<PrivateTargetKind>();
  for (const part of value.split(',').map((p) => p.trim())) {
    const kind = PRIVATE_TARGET_KINDS.find((k) => k === part);
    if (kind === undefined) {
      throw new TypeError(
        `${PRIVATE_TARGETS_VARIABLE} must be none, or a comma-separated list of loopback and private, got ${JSON.stringify(raw)}`,
      );
    }
    kinds.add(kind);
  }
  return [...kinds];
}

/** Cloud metadata services reachable from instances, refused even where their range is allowed. */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud (inside 100.64/10)
  '168.63.129.16', // Azure platform endpoint (a public address)
]);
/** AWS's IPv6 service range: IMDS at fd00:ec2::254, DNS, time (inside fc00::/7). */
const AWS_IPV6_SERVICES = ipaddr.IPv6.parseCIDR('fd00:ec2::/32');
/** IPv4-compatible `::a.b.c.d` (deprecated): nothing legitimate answers there. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
/** Local-use NAT64 (RFC 8215): the last 32 bits are an IPv4 address, as in 64:ff9b::/96. */
const LOCAL_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');

function classifyV4(address: ipaddr.IPv4): AddressClass {
  if (METADATA_ADDRESSES.has(address.toString())) return 'forbidden';
  switch (address.range()) {
    case 'unicast':
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'private':
    case 'carrierGradeNat':
      return 'private';
    default:
      // unspecified (0/8), linkLocal, multicast, broadcast, reserved, benchmarking, as112, amt, …
      return 'forbidden';
  }
}

function lastV4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12, 16));
}

function classifyV6(address: ipaddr.IPv6): AddressClass {
  if (address.match(AWS_IPV6_SERVICES)) return 'forbidden';
  switch (address.range()) {
    case 'unicast':
      if (address.match(LOCAL_NAT64)) return classifyV4(lastV4(address));
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'uniqueLocal':
      return 'private';
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return classifyV4(lastV4(address));
    case '6to4': {
      const bytes = address.toByteArray();
      return classifyV4(new ipaddr.IPv4(bytes.slice(2, 6)));
    }
    default:
      // unspecified, linkLocal, multicast, teredo, reserved (documentation), site-local, discard, …
      return 'forbidden';
  }
}

/** The class of one IP address (v4 or v6, without brackets or zone); a non-address is forbidden. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) return classifyV4(ipaddr.IPv4.parse(address));
  if (family === 6) {
    const v6 = ipaddr.IPv6.parse(address);
    if (v6.zoneId !== undefined) return 'forbidden';
    if (v6.match(IPV4_COMPATIBLE) && v6.range() === 'unicast') return 'forbidden';
    return classifyV6(v6);
  }
  return 'forbidden';
}

export function addressAllowed(address: string, allow: readonly PrivateTargetKind[]): boolean {
  const kind = classifyAddress(address);
  switch (kind) {
    case 'public':
      return true;
    case 'loopback':
    case 'private':
      return allow.includes(kind);
    case 'forbidden':
      return false;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Names that are loopback by definition (RFC 6761), whatever a resolver says. */
function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Metadata services by name; they resolve to link-local addresses inside their clouds. */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog']);

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to (`dns.lookup` with `all: true` in production). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export type WebhookTarget =
  | {
      readonly ok: true;
      readonly url: URL;
      /** Every address the host resolved to (the literal itself for an IP URL), all allowed. */
      readonly addresses: readonly ResolvedAddress[];
    }
  /**
   * `invalid_url`: not an http(s) URL. `refused`: the host is, names or resolves to an address
   * the policy refuses. `unresolved`: the name did not resolve (or the resolver failed).
   */
  | { readonly ok: false; readonly reason: 'invalid_url' | 'refused' | 'unresolved' };

/**
 * Judges a webhook URL as WHATWG URL parsing normalises it (`http://2130706433/`, `http://0x7f.1/`
 * and `http://[::ffff:127.0.0.1]/` are all 127.0.0.1 by then): an IP host is classified as is; a
 * name is resolved once and refused if any of its addresses is not allowed. A caller that connects
 * must connect to `addresses` and resolve nothing itself, so a name cannot change between the check
 * and the connection.
 */
export async function checkWebhookTarget(
  raw: string,
  allow: readonly PrivateTargetKind[],
  resolve: Resolver,
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return { ok: false, reason: 'invalid_url' };
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const family = isIP(host);
  if (family !== 0) {
    return addressAllowed(host, allow)
      ? { ok: true, url, addresses: [{ address: host, family: family === 4 ? 4 : 6 }] }
      : { ok: false, reason: 'refused' };
  }
  const name = host.replace(/\.+$/, '');
  if (METADATA_NAMES.has(name)) return { ok: false, reason: 'refused' };
  if (isLoopbackName(name) && !allow.includes('loopback')) return { ok: false, reason: 'refused' };
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, reason: 'unresolved' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolved' };
  if (!addresses.every((a) => addressAllowed(a.address, allow))) return { ok: false, reason: 'refused' };
  return { ok: true, url, addresses };
}
