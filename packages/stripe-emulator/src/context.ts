import type { Account } from './account.js';
import type { Emulator } from './emulator.js';
import type { EventSource } from './events.js';
import type { Params } from './params.js';

/** Everything a handler needs for one API request (or one emulator-initiated action). */
export interface Ctx {
  emu: Emulator;
  account: Account;
  params: Params;
  source: EventSource;
}

export interface Reply {
  status?: number;
  body: unknown;
}

export function systemCtx(emu: Emulator, account: Account): Ctx {
  return { emu, account, params: {}, source: { requestId: null, idempotencyKey: null } };
}
