import { describe, expect, it } from 'vitest';
import { createWebhooksApp } from './app.js';

describe('webhooks app', () => {
  it('answers health', async () => {
    const res = await createWebhooksApp().request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
