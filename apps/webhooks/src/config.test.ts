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

  it.each([
    [{ PORT: 'http' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ WEBHOOK_SECRET_TTL_SECONDS: '-1' }, /WEBHOOK_SECRET_TTL_SECONDS/],
    [{ LOG_LEVEL: 'debug' }, /LOG_LEVEL/],
  ])('names the variable when %j is wrong', (env, message) => {
    expect(() => parseWebhooksEnv(env)).toThrow(message);
  });
});
