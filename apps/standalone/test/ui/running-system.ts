import { bootstrapOrganization } from '@payrail/api';
import { WebhookSigningKey } from '@payrail/lago-wire';
import { createLogger } from '@payrail/persistence';
import { createTestDatabase } from '@payrail/persistence/testing';
import type { RunningEmulator } from '@payrail/stripe-emulator';
import { type RunningSystem as StartedSystem, startSystem } from '../../src/system.js';

export interface RunningSystem {
  /** The API with the UI at `/ui`. */
  readonly apiUrl: string;
  readonly webhooksUrl: string;
  readonly emulator: RunningEmulator;
  readonly apiKey: string;
  stop(): Promise<void>;
}

/**
 * Every process of the product on real loopback servers, started as the start command starts
 * them (`startSystem`): the Stripe emulator, the API with the UI mounted, the webhooks app the
 * emulator delivers to, and the worker running every queue, all on one fresh database schema.
 */
export async function startRunningSystem(): Promise<RunningSystem> {
  const db = await createTestDatabase({ prefix: 'webui_e2e' });
  let system: StartedSystem;
  try {
    system = await startSystem({
      host: '127.0.0.1',
      apiPort: 0,
      webhooksPort: 0,
      emulatorPort: 0,
      database: db,
      signingKey: WebhookSigningKey.generate(),
      logger: createLogger({ service: 'payrail', level: 'error', write: () => {} }),
    });
  } catch (error) {
    await db.dispose();
    throw error;
  }
  const { emulator } = system;
  if (!emulator) throw new Error('the system runs its own emulator');
  const org = await bootstrapOrganization(db.organizations, { name: 'Acme' });
  return {
    apiUrl: system.apiUrl,
    webhooksUrl: system.webhooksUrl,
    emulator,
    apiKey: org.apiKey,
    async stop() {
      await system.stop();
      await db.dispose();
    },
  };
}
