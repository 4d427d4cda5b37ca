import type { OrganizationStore } from '@payrail/persistence';

/** The organization's HMAC webhook key (Lago's "HMAC Signature Token"): read, and rotate (shown once). */
export type OrganizationSecrets = Pick<OrganizationStore, 'hmacKey' | 'rotateHmacKey'>;
