import { createHmac } from 'node:crypto';

/**
 * Signs like `stripe.webhooks.generateTestHeaderString`: `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`
 * keyed with the whole `whsec_…` string. `t` is wall-clock time, never the emulator clock,
 * because receivers compare it with their own clock (300 s tolerance).
 */
export function signatureHeader(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
