import type { IdempotencyStore as PersistedIdempotency } from '@payrail/persistence';

export type { IdempotencyBegin, Written } from '@payrail/persistence';

/** `Idempotency-Key` records: persistence's store (`api_idempotency_records`, decision 0504). */
export type IdempotencyStore = Pick<
  PersistedIdempotency,
  'begin' | 'markCommitted' | 'complete' | 'abandon' | 'release'
>;
