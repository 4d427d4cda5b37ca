/** Resolves a bearer token to its organization; null for an unknown or revoked key. */
export interface ApiKeyAuthenticator {
  authenticate(token: string): Promise<string | null>;
}
