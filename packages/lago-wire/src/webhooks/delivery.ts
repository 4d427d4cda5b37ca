/**
 * Why a delivery attempt got no HTTP status, as the delivery log shows it to the merchant. These
 * words are all it shows: never a socket error or the receiver's reply (decision 0801).
 * `refused_target`: the URL is, or resolves to, an address outgoing webhooks may not reach;
 * `connection_failed`: refused, reset, TLS, or a name that does not resolve; `cancelled`: the
 * worker stopped mid-attempt.
 */
export const DELIVERY_FAILURES = ['refused_target', 'timeout', 'connection_failed', 'cancelled'] as const;

export type DeliveryFailure = (typeof DELIVERY_FAILURES)[number];
