/**
 * Test helpers for what receives Lago's outgoing webhooks: a merchant's endpoint on loopback and
 * the signature checks a merchant makes. For tests only (`@payrail/lago-wire/testing`).
 */

export { verifyHmacSignature, verifyJwtSignature } from './verify-webhook.js';
export { type Received, startReceiver } from './webhook-receiver.js';
