import type { Tx } from '@payrail/domain';

/** The ids a request's transactions wrote, by repository (`invoices`, `customers`, ...). */
export interface Written {
  readonly inserted: Readonly<Record<string, readonly string[]>>;
  readonly updated: Readonly<Record<string, readonly string[]>>;
}

/** What a request with an `Idempotency-Key` finds when it starts. */
export type IdempotencyBegin =
  /** First time: the caller runs the request and then `complete`s, `abandon`s or `release`s. */
  | { readonly kind: 'started'; readonly recordId: string }
  /** Done before: answer with the stored response. */
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown }
  /**
   * The first request committed its write but its answer was lost (it failed afterwards, or
   * crashed): answer from what it wrote, never write again.
   */
  | { readonly kind: 'replay_committed'; readonly recordId: string; readonly written: Written }
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
  /**
   * Inside `tx`, the transaction that writes on the request's behalf: the key is committed with
   * its write, and `written` (everything written so far) is what a retry is answered from.
   */
  markCommitted(tx: Tx, input: { readonly recordId: string; readonly written: Written }): Promise<void>;
  /**
   * Store the answer. `body` null = an empty response body. Like `abandon` and `release`, it acts
   * on the record `begin` gave this request only, never on a later request's record for the key.
   */
  complete(input: {
    readonly recordId: string;
    readonly status: number;
    readonly body: unknown;
  }): Promise<void>;
  /** Forget the key (the request failed before writing anything, so a retry may run it). */
  abandon(input: { readonly recordId: string }): Promise<void>;
  /** The request committed but ends without an answer to store: a retry replays at once. */
  release(input: { readonly recordId: string }): Promise<void>;
}
