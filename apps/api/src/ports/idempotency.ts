/** What a request with an `Idempotency-Key` finds when it starts. */
export type IdempotencyBegin =
  /** First time: the caller runs the request and then `complete`s or `abandon`s. */
  | { readonly kind: 'started' }
  /** Done before: answer with the stored response. */
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown }
  /** The same key was used for a different request. */
  | { readonly kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { readonly kind: 'in_progress' };

export interface IdempotencyStore {
  begin(input: {
    readonly organizationId: string;
    readonly key: string;
    readonly fingerprint: string;
    readonly expiresAt: Date;
  }): Promise<IdempotencyBegin>;
  /** `body` null = an empty response body. */
  complete(input: {
    readonly organizationId: string;
    readonly key: string;
    readonly status: number;
    readonly body: unknown;
  }): Promise<void>;
  /** Forget the key (the request failed in a way worth retrying). */
  abandon(input: { readonly organizationId: string; readonly key: string }): Promise<void>;
}
