/**
 * No secret in any log line or response: the exact values the run used (Stripe keys, webhook
 * signing secrets, API keys, HMAC keys, the encryption key, the webhook signing key) are looked
 * for in everything captured.
 */
import { type Exchange, HMAC_ROUTE } from './system.js';

export interface SecretsFinding {
  readonly where: string;
  readonly secret: string;
}

export function findSecrets(input: {
  readonly secrets: ReadonlyMap<string, string>;
  readonly logs: readonly string[];
  readonly exchanges: readonly Exchange[];
  readonly outgoing: readonly string[];
  /** HMAC key -> the API key it was shown to. */
  readonly shownHmacKeys: ReadonlyMap<string, string>;
}): SecretsFinding[] {
  const found: SecretsFinding[] = [];
  // Each value once, under the first name it was given.
  const byValue = new Map<string, string>();
  for (const [name, value] of input.secrets)
    if (value.length >= 12 && !byValue.has(value)) byValue.set(value, name);
  const values = [...byValue].map(([value, name]) => [name, value] as const);
  const scan = (where: string, text: string, allowed: ReadonlySet<string> = new Set()) => {
    for (const [name, value] of values) {
      if (!allowed.has(value) && text.includes(value)) found.push({ where, secret: name });
    }
  };
  input.logs.forEach((line, i) => {
    scan(`log line ${i + 1}: ${line.slice(0, 160)}`, line);
  });
  for (const exchange of input.exchanges) {
    // Lago shows an organization its own HMAC key on these two routes, and nowhere else.
    const own = new Set<string>();
    if (HMAC_ROUTE.test(new URL(exchange.url).pathname)) {
      for (const [key, shownTo] of input.shownHmacKeys) if (shownTo === exchange.caller) own.add(key);
    }
    scan(`response to ${exchange.method} ${exchange.url}`, `${exchange.headers}\n${exchange.text}`, own);
  }
  input.outgoing.forEach((body, i) => {
    scan(`outgoing webhook ${i + 1}`, body);
  });
  return found;
}
