/**
 * The emulator state as one JSON document and back. Maps become arrays of entries, so insertion
 * order (which is list order, newest first when reversed) survives the round trip.
 */
import { Account, type IdempotencyEntry, type PaymentMethodState } from '../account.js';
import type { Emulator } from '../emulator.js';
import { type Instrument, instrumentById } from '../instruments.js';
import { buildMandate, needsMandate } from '../resources/mandates.js';
import type { PendingTask } from '../scheduled-task.js';
import { taskRunner } from './run-task.js';

export const STATE_FORMAT = 'payrail-stripe-emulator-state';
/**
 * Bump whenever a saved field changes meaning; files of versions this emulator cannot upgrade
 * are then moved aside, not misread. Version 1 files (no mandates, no key lists) are upgraded.
 */
export const STATE_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];

/** Account fields saved as `[key, value]` entries, unchanged. */
export const PLAIN_MAPS = [
  'customers',
  'paymentMethods',
  'setupIntents',
  'mandates',
  'checkoutSessions',
  'sessionSetupData',
  'sessionLineItems',
  'paymentIntents',
  'paymentIntentState',
  'charges',
  'refunds',
  'disputes',
  'webhookEndpoints',
  'webhookSecrets',
  'events',
  'cashBalances',
] as const satisfies readonly (keyof Account)[];
export const SETS = [
  'deletedCustomers',
  'checkoutSetupIntents',
] as const satisfies readonly (keyof Account)[];
/** Maps added after version 1 was written: a file saved before them has none, which means empty. */
const ADDED_SINCE_VERSION_1: ReadonlySet<string> = new Set(['sessionLineItems', 'cashBalances']);
/** Maps whose keys are object ids that hosted pages and test controls look up without an API key. */
const OWNED = [
  'customers',
  'paymentMethods',
  'setupIntents',
  'mandates',
  'checkoutSessions',
  'paymentIntents',
  'charges',
  'refunds',
  'disputes',
  'webhookEndpoints',
  'deletedCustomers',
] as const satisfies readonly (keyof Account)[];

type Entries = [string, unknown][];

interface SavedPaymentMethodState extends Omit<PaymentMethodState, 'instrument'> {
  /** A catalogue instrument by id; the full instrument otherwise. */
  instrument: string | Instrument;
}

type AccountSnapshot = { id: string; paymentMethodState: [string, SavedPaymentMethodState][] } & {
  idempotency: [string, IdempotencyEntry][];
} & Record<(typeof PLAIN_MAPS)[number], Entries> &
  Record<(typeof SETS)[number], string[]>;

export interface StateSnapshot {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
  clock: { offsetSeconds: number; pending: PendingTask[] };
  /** Account ids (hashes of secret keys, never the keys) registered and revoked. */
  keys: { registered: string[]; revoked: string[] };
  accounts: AccountSnapshot[];
}

/** Why a file cannot be loaded; the emulator then starts empty. */
export class IncompatibleStateError extends Error {}

function saveAccount(account: Account): AccountSnapshot {
  const out = { id: account.id } as AccountSnapshot;
  for (const key of PLAIN_MAPS) out[key] = [...(account[key] as Map<string, unknown>)];
  for (const key of SETS) out[key] = [...account[key]];
  out.paymentMethodState = [...account.paymentMethodState].map(([id, s]) => [
    id,
    { ...s, instrument: instrumentById(s.instrument.id) === s.instrument ? s.instrument.id : s.instrument },
  ]);
  // A request still running has no response to replay yet; after a restart it never will.
  out.idempotency = [...account.idempotency].filter(([, e]) => !e.inFlight);
  return out;
}

export function takeSnapshot(emu: Emulator): StateSnapshot {
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: new Date().toISOString(),
    clock: { offsetSeconds: emu.clock.offsetSeconds(), pending: emu.clock.pending() },
    keys: { registered: [...emu.registeredKeys], revoked: [...emu.revokedKeys] },
    accounts: [...emu.accountsById.values()].map(saveAccount),
  };
}

function entries(value: unknown, where: string): Entries {
  if (
    !Array.isArray(value) ||
    !value.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')
  )
    throw new IncompatibleStateError(`${where} is not a list of [id, value] entries`);
  return value as Entries;
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((e) => typeof e === 'string'))
    throw new IncompatibleStateError(`${where} is not a list of strings`);
  return value;
}

/**
 * Version 1 kept a bank debit SetupIntent's `mandate` as a bare id. Each becomes the mandate it
 * stood for (active, multi-use, accepted online when the intent was created), so methods saved
 * before the upgrade can still be debited.
 */
function upgradeMandates(account: Account): void {
  for (const si of account.setupIntents.values()) {
    const id = typeof si.mandate === 'string' ? si.mandate : null;
    const pm = si.payment_method ? account.paymentMethods.get(si.payment_method as string) : undefined;
    if (!id || si.status !== 'succeeded' || !pm || !needsMandate(pm)) continue;
    const acceptance = {
      type: 'online',
      accepted_at: si.created,
      online: { ip_address: null, user_agent: null },
    } as const;
    // The emulator's address is not known while loading; the mandate page link is kept relative.
    account.mandates.set(id, buildMandate('', id, pm, acceptance));
  }
}

function restoreAccount(raw: unknown, index: number, version: number): Account {
  const at = `accounts[${index}]`;
  if (typeof raw !== 'object' || raw === null) throw new IncompatibleStateError(`${at} is not an object`);
  const saved = { ...(raw as Record<string, unknown>) };
  if (version === 1) saved.mandates = [];
  if (typeof saved.id !== 'string' || !saved.id.startsWith('acct_'))
    throw new IncompatibleStateError(`${at}.id is not an account id`);
  const account = new Account(saved.id);
  for (const key of PLAIN_MAPS) {
    const map = account[key] as Map<string, unknown>;
    const value = saved[key] === undefined && ADDED_SINCE_VERSION_1.has(key) ? [] : saved[key];
    for (const [id, item] of entries(value, `${at}.${key}`)) map.set(id, item);
  }
  for (const key of SETS) for (const id of strings(saved[key], `${at}.${key}`)) account[key].add(id);
  for (const [id, value] of entries(saved.paymentMethodState, `${at}.paymentMethodState`)) {
    const s = value as SavedPaymentMethodState;
    const instrument = typeof s.instrument === 'string' ? instrumentById(s.instrument) : s.instrument;
    if (!instrument)
      throw new IncompatibleStateError(
        `${at}.paymentMethodState: unknown instrument ${String(s.instrument)}`,
      );
    account.paymentMethodState.set(id, { ...s, instrument });
  }
  for (const [key, value] of entries(saved.idempotency, `${at}.idempotency`))
    account.idempotency.set(key, value as IdempotencyEntry);
  if (version === 1) upgradeMandates(account);
  return account;
}

/**
 * Replaces the emulator's state with a parsed file. Everything is checked and built before the
 * emulator is touched, so a bad file leaves it empty rather than half loaded.
 */
export function restoreSnapshot(emu: Emulator, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) throw new IncompatibleStateError('not a JSON object');
  const doc = raw as Record<string, unknown>;
  if (doc.format !== STATE_FORMAT) throw new IncompatibleStateError(`format is not "${STATE_FORMAT}"`);
  const version = doc.version;
  if (typeof version !== 'number' || !READABLE_VERSIONS.includes(version))
    throw new IncompatibleStateError(
      `version ${JSON.stringify(version)} is not supported (this emulator reads versions ${READABLE_VERSIONS.join(', ')})`,
    );
  const clock = doc.clock as { offsetSeconds?: unknown; pending?: unknown } | undefined;
  if (typeof clock?.offsetSeconds !== 'number' || !Array.isArray(clock.pending))
    throw new IncompatibleStateError('clock is missing offsetSeconds or pending');
  const pending = clock.pending as PendingTask[];
  if (!pending.every((p) => typeof p?.due === 'number' && typeof p.task?.account === 'string'))
    throw new IncompatibleStateError('clock.pending holds a malformed task');
  if (!Array.isArray(doc.accounts)) throw new IncompatibleStateError('accounts is not a list');
  const accounts = doc.accounts.map((raw, i) => restoreAccount(raw, i, version));
  const keys = (version === 1 ? { registered: [], revoked: [] } : doc.keys) as
    | { registered?: unknown; revoked?: unknown }
    | undefined;
  const registered = strings(keys?.registered, 'keys.registered');
  const revoked = strings(keys?.revoked, 'keys.revoked');

  emu.reset();
  for (const id of registered) emu.registeredKeys.add(id);
  for (const id of revoked) emu.revokedKeys.add(id);
  for (const account of accounts) {
    emu.accountsById.set(account.id, account);
    for (const key of OWNED) for (const id of account[key].keys()) emu.own(account, id);
  }
  emu.clock.restore(clock.offsetSeconds, pending, taskRunner(emu));
}
