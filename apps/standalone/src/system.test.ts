import { WebhookSigningKey } from '@payrail/lago-wire';
import { createTestDatabase } from '@payrail/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startSystem } from './system.js';

describe('standalone system', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({
      host: '127.0.0.1',
      apiPort: 0,
      webhooksPort: 0,
      emulatorPort: 0,
      database: await createTestDatabase({ prefix: 'standalone' }),
      signingKey: WebhookSigningKey.generate(),
    });
  });
  afterAll(() => system.stop());

  it('serves the API, the webhook receiver and the emulator over real HTTP', async () => {
    expect((await fetch(`${system.apiUrl}/health`)).status).toBe(200);
    expect((await fetch(`${system.webhooksUrl}/health`)).status).toBe(200);
    expect(system.emulator?.url).toBe(system.stripeApiBase);
    const unauthorized = await fetch(`${system.apiUrl}/api/v1/customers`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ status: 401, error: 'Unauthorized' });
  });
});
