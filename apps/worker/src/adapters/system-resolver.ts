import { lookup } from 'node:dns/promises';
import type { ResolvedAddress, Resolver } from '@payrail/lago-wire';

/** Every address `getaddrinfo` gives for a name (/etc/hosts included), as a connection would. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(
    (a): ResolvedAddress => ({ address: a.address, family: a.family === 6 ? 6 : 4 }),
  );
