/**
 * The emulator's whole state: accounts (one per secret key), the clock, events and webhook
 * delivery. HTTP handlers and test controls both work on this object.
 */
import { Account, accountIdOf } from './account.js';
import { Clock } from './clock.js';
import { EventBus } from './events.js';
import { WebhookDispatcher, type WebhookRetryOptions } from './webhooks/dispatcher.js';

/**
 * Which well-formed secret keys the API accepts: `any` (every `sk_test_…` key opens its own
 * account) or `registered` (only keys registered through the test controls, as a real Stripe
 * account knows only the keys it issued; any other key gets Stripe's 401).
 */
export type KeyMode = 'any' | 'registered';
export const KEY_MODES: readonly KeyMode[] = ['any', 'registered'];

export class Emulator {
  /** Accounts by secret key, for API requests. */
  readonly accounts = new Map<string, Account>();
  /**
   * Every account by id, including accounts loaded from a state file whose secret key has not
   * been seen since (the file keeps only the key's hash).
   */
  readonly accountsById = new Map<string, Account>();
  /** Which account owns an object id, for hosted pages and test controls that carry no API key. */
  readonly owners = new Map<string, Account>();
  readonly clock = new Clock();
  readonly webhooks: WebhookDispatcher;
  readonly events: EventBus;
  baseUrl = '';
  /** Bumped after anything that may have changed the state; the state file saves when it moves. */
  revision = 0;

  constructor(
    retry?: WebhookRetryOptions,
    readonly keyMode: KeyMode = 'any',
  ) {
    this.webhooks = new WebhookDispatcher(retry);
    this.events = new EventBus(this.clock, this.webhooks);
  }

  /** Accounts (by id, never the key itself) whose secret key was revoked or rolled. */
  readonly revokedKeys = new Set<string>();
  /** Accounts (by id) whose secret key was registered; only these are valid in `registered` mode. */
  readonly registeredKeys = new Set<string>();

  /** From now on Stripe answers this key with 401, as after a revocation in the Dashboard. */
  revokeKey(apiKey: string): void {
    this.revokedKeys.add(accountIdOf(apiKey));
    this.touch();
  }

  /** Makes a key valid in `registered` mode, as issuing it in the Dashboard does. */
  registerKey(apiKey: string): void {
    this.registeredKeys.add(accountIdOf(apiKey));
    this.touch();
  }

  /** Whether a well-formed key is one this emulated Stripe knows and has not revoked. */
  accepts(apiKey: string): boolean {
    const id = accountIdOf(apiKey);
    if (this.revokedKeys.has(id)) return false;
    return this.keyMode === 'any' || this.registeredKeys.has(id);
  }

  account(apiKey: string): Account {
    let account = this.accounts.get(apiKey);
    if (!account) {
      const id = accountIdOf(apiKey);
      account = this.accountsById.get(id) ?? new Account(id);
      this.accountsById.set(id, account);
      this.accounts.set(apiKey, account);
    }
    return account;
  }

  own(account: Account, id: string): void {
    this.owners.set(id, account);
  }

  touch(): void {
    this.revision++;
  }

  reset(): void {
    this.accounts.clear();
    this.accountsById.clear();
    this.owners.clear();
    this.revokedKeys.clear();
    this.registeredKeys.clear();
    this.clock.clear();
    this.webhooks.reset();
    this.touch();
  }
}
