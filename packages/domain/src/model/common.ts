/** Every aggregate carries an optimistic-concurrency `version`; repositories bump it on update. */
export interface Versioned {
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Our ids are UUID strings; they appear in Lago's `lago_id` fields. */
export type Id = string;

/** A provider-side failure in the words Lago's webhooks use (`provider_error.message/error_code`). */
export interface ProviderFailure {
  readonly code: string;
  readonly message: string;
}
