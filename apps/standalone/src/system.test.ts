import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startSystem } from './system.js';

describe('standalone system', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ host: '127.0.0.1', apiPort: 0, webhooksPort: 0 });
  });
  afterAll(() => system.stop());

  it('serves the API and the webhook receiver over real HTTP', async () => {
    expect((await fetch(`${system.apiUrl}/health`)).status).toBe(200);
    expect((await fetch(`${system.webhooksUrl}/health`)).status).toBe(200);
    expect(system.apiUrl).not.toBe(system.webhooksUrl);
  });
});
