import { lookup } from 'node:dns/promises';
import {
  checkWebhookTarget,
  type PrivateTargetKind,
  type ResolvedAddress,
  type Resolver,
} from '@payrail/lago-wire';
import type { WebhookTargetPolicy } from '../ports/webhook-endpoints.js';

/** `getaddrinfo`, as the worker's connections resolve: /etc/hosts included. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(
    (a): ResolvedAddress => ({ address: a.address, family: a.family === 6 ? 6 : 4 }),
  );

/**
 * The save-time check: a slow resolver does not hold a request for long; a name that does not
 * answer in time counts as unresolved, which the worker refuses at send time if it then resolves
 * to a refused address.
 */
export function resolvingWebhookTargets(
  allow: readonly PrivateTargetKind[],
  resolve: Resolver = systemResolver,
  timeoutMs = 5_000,
): WebhookTargetPolicy {
  const bounded: Resolver = (hostname) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('lookup timed out')), timeoutMs);
    });
    return Promise.race([resolve(hostname), timeout]).finally(() => clearTimeout(timer));
  };
  return {
    async allows(url) {
      const target = await checkWebhookTarget(url, allow, bounded);
      return target.ok || target.reason === 'unresolved';
    },
  };
}
