import type { Flash } from '../http/flash.js';

/** What every page needs to draw links and forms. */
export interface View {
  /** Where the UI is mounted, e.g. `/ui`; every link starts with it. */
  readonly base: string;
  readonly csrf: string;
  readonly flash: Flash;
}

export type Section = 'settings' | 'customers' | 'invoices' | 'add-ons';
