/**
 * The emulator's whole state: accounts (one per secret key), the clock, events and webhook
 * delivery. HTTP handlers and test controls both work on this object.
 */
import { Account } from './account.js';
import { Clock } from './clock.js';
import { EventBus } from './events.js';
import { WebhookDispatcher, type WebhookRetryOptions } from './webhooks/dispatcher.js';

export class Emulator {
  readonly accounts = new Map<string, Account>();
  /** Which account owns an object id, for hosted pages and test controls that carry no API key. */
  readonly owners = new Map<string, Account>();
  readonly clock = new Clock();
  readonly webhooks: WebhookDispatcher;
  readonly events: EventBus;
  baseUrl = '';

  constructor(retry?: WebhookRetryOptions) {
    this.webhooks = new WebhookDispatcher(retry);
    this.events = new EventBus(this.clock, this.webhooks);
  }

  account(apiKey: string): Account {
    let account = this.accounts.get(apiKey);
    if (!account) {
      account = new Account(apiKey);
      this.accounts.set(apiKey, account);
    }
    return account;
  }

  own(account: Account, id: string): void {
    this.owners.set(id, account);
  }

  reset(): void {
    this.accounts.clear();
    this.owners.clear();
    this.clock.clear();
    this.webhooks.reset();
  }
}
