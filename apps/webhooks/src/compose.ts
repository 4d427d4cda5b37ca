import type { Logger } from '@payrail/domain';
import { type Database, databaseReady, type Metrics } from '@payrail/persistence';
import type { WebhookConnectionSource, WebhooksDeps } from './ports.js';

/** Reads the connection named by a webhook URL through the domain's repository (secrets decrypted). */
export function databaseConnectionSource(db: Database): WebhookConnectionSource {
  return {
    async find(organizationId, code) {
      const connection = await db.unitOfWork.run(organizationId, (tx) =>
        tx.stripeConnections.findByCode(organizationId, code),
      );
      if (connection === null || connection.organizationId !== organizationId) return null;
      return { connectionId: connection.id, signingSecret: connection.webhookEndpoint.signingSecret };
    },
  };
}

export interface WebhooksCompositionOptions {
  readonly db: Database;
  readonly secretTtlMs?: number;
  readonly toleranceSeconds?: number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** The webhooks app's composition root: persistence's inbox and connections. */
export function composeWebhooks(options: WebhooksCompositionOptions): WebhooksDeps {
  return {
    connections: databaseConnectionSource(options.db),
    inbox: options.db.inbox,
    ready: () => databaseReady(options.db),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.secretTtlMs === undefined ? {} : { secretTtlMs: options.secretTtlMs }),
    ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
}
