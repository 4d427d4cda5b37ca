import { describe, expect, it } from 'vitest';
import { parseWebhooksEnv } from './config.js';

describe('parseWebhooksEnv', () => {
  it('applies the defaults', () => {
    expect(parseWebhooksEnv({})).toEqual({
      host: '0.0.0.0',
      port: 3001,
      secretTtlMs: 30_000,
      logLevel: 'info',
    });
  });

  it('takes WEBHOOKS_PORT over PORT, so one environment can serve every process', () => {
    expect(parseWebhooksEnv({ WEBHOOKS_PORT: '4001', PORT: '5001' }).port).toBe(4001);
    expect(parseWebhooksEnv({ PORT: '5001' }).port).toBe(5001);
  });

  it.each([
    [{ WEBHOOKS_PORT: '70000' }, /WEBHOOKS_PORT/],
    [{ PORT: 'http' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ WEBHOOK_SECRET_TTL_SECONDS: '-1' }, /WEBHOOK_SECRET_TTL_SECONDS/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
  ])('names the variable when %j is wrong', (env, message) => {
    expect(() => parseWebhooksEnv(env)).toThrow(message);
  });
});
