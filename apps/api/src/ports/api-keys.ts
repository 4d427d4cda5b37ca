import type { Organization } from '@payrail/domain';

/** Resolves a bearer token to its organization; null for an unknown or revoked key. */
export interface ApiKeyAuthenticator {
  authenticate(token: string): Promise<Organization | null>;
}

/** Where keys are looked up: by their SHA-256, with their organization (persistence's store). */
export interface ApiKeyLookup {
  findByKeyHash(keyHash: string): Promise<Organization | null>;
}
