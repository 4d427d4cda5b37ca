import type { Id, Versioned } from './common.js';

export interface Organization extends Versioned {
  readonly id: Id;
  readonly name: string;
  /** Prefix of document numbers, e.g. `LAG-1234` gives invoice `LAG-1234-001-002`. */
  readonly documentNumberPrefix: string;
}
