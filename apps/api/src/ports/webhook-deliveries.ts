import type { WebhookDeliveryLog as PersistedLog, WebhookStore } from '@payrail/persistence';

export type { WebhookDeliveryFilter, WebhookDeliveryRecord } from '@payrail/persistence';

/** The delivery attempts the worker recorded, newest first; always scoped to one organization. */
export type WebhookDeliveryLog = Pick<PersistedLog, 'list'>;

/** Asks for an outgoing event to be sent again (Payrail addition; Lago offers it in its UI). */
export type WebhookRedelivery = Pick<WebhookStore, 'redeliver'>;
