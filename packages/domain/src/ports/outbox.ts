import type { OutgoingEvent } from '../events.js';

/** Published events are stored with the transaction and delivered after it commits. */
export interface Outbox {
  publish(event: OutgoingEvent): Promise<void>;
}
