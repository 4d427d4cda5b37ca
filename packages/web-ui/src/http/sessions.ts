/**
 * Where signed-in browsers are remembered, on the server (decision 0703). The cookie carries only
 * the token `start` returns; the API key the UI calls the REST API with stays behind it.
 * `UiSessionStore` of @payrail/persistence implements it.
 */
export interface UiSessions {
  /** A new session for an API key, or null when the key is unknown or revoked. */
  start(apiKey: string): Promise<{ readonly token: string; readonly expiresAt: Date } | null>;
  /** The API key of the live session behind `token` (counting as activity), or null when it is over. */
  resume(token: string): Promise<{ readonly apiKey: string } | null>;
  /** Ends the session behind `token`; the token never works again. */
  end(token: string): Promise<void>;
}
