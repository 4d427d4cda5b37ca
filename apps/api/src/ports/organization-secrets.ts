/** The organization's HMAC webhook key (Lago's "HMAC Signature Token"): read and rotate. */
export interface OrganizationSecrets {
  hmacKey(organizationId: string): Promise<string | null>;
  /** Replaces the key; returns the new one, shown once to the caller. */
  rotateHmacKey(organizationId: string): Promise<string>;
}
