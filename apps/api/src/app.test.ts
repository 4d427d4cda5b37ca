import { describe, expect, it } from 'vitest';
import { createApiApp } from './app.js';

describe('api app', () => {
  const app = createApiApp({ version: '9.9.9' });

  it('answers health with its version', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: '9.9.9' });
  });

  it('answers 404 for an unknown path', async () => {
    expect((await app.request('/nope')).status).toBe(404);
  });
});
