import { Secret } from '@payrail/domain';
import type {
  InboxEventInput,
  InboxWriter,
  WebhookConnection,
  WebhookConnectionSource,
} from '../src/ports.js';

/** In-memory connection table: `{organizationId}/{code}` → secret. */
export class MemoryConnections implements WebhookConnectionSource {
  readonly rows = new Map<string, WebhookConnection>();
  lookups = 0;

  add(organizationId: string, code: string, connectionId: string, secret: string): void {
    this.rows.set(`${organizationId}/${code}`, { connectionId, signingSecret: new Secret(secret) });
  }

  async find(organizationId: string, code: string): Promise<WebhookConnection | null> {
    this.lookups++;
    return this.rows.get(`${organizationId}/${code}`) ?? null;
  }
}

/** In-memory inbox with the same uniqueness rule as the table: (connection, Stripe event id). */
export class MemoryInbox implements InboxWriter {
  readonly events: InboxEventInput[] = [];

  async insert(event: InboxEventInput): Promise<{ status: 'stored' | 'duplicate' }> {
    const duplicate = this.events.some(
      (e) => e.connectionId === event.connectionId && e.stripeEventId === event.stripeEventId,
    );
    if (!duplicate) this.events.push(event);
    return { status: duplicate ? 'duplicate' : 'stored' };
  }
}
