import { WebhookSigningKey } from '@payrail/lago-wire';
import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from './config.js';

const key = WebhookSigningKey.generate().privateKeyPem();
const base = { PUBLIC_BASE_URL: 'https://hooks.example.com', WEBHOOK_SIGNING_PRIVATE_KEY: key };

describe('parseWorkerEnv', () => {
  it('applies the defaults', () => {
    const config = parseWorkerEnv(base);
    expect(config.apiUrl).toBe('https://hooks.example.com');
    expect(config.settings).toMatchObject({
      concurrency: 2,
      webhookAttempts: 15,
      webhookTimeoutMs: 30_000,
      webhookConcurrency: 8,
      webhookOrganizationConcurrency: 5,
      notFoundAttempts: 8,
      reconcile: { cron: '* * * * *', olderThanMs: 900_000, batchSize: 100 },
    });
  });

  it.each([
    [{ PUBLIC_BASE_URL: undefined }, /PUBLIC_BASE_URL/],
    [{ WORKER_CONCURRENCY: '0' }, /WORKER_CONCURRENCY/],
    [{ WEBHOOK_ATTEMPTS: '20' }, /WEBHOOK_ATTEMPTS/],
    [{ WEBHOOK_ORGANIZATION_CONCURRENCY: '0' }, /WEBHOOK_ORGANIZATION_CONCURRENCY/],
    [{ API_URL: 'not a url' }, /API_URL/],
    [{ WEBHOOK_SIGNING_PRIVATE_KEY: 'garbage' }, /WEBHOOK_SIGNING_PRIVATE_KEY/],
    [{ WEBHOOK_SIGNING_PRIVATE_KEY: undefined }, /WEBHOOK_SIGNING_PRIVATE_KEY/],
  ])('names the variable when %j is wrong', (patch, message) => {
    expect(() => parseWorkerEnv({ ...base, ...patch })).toThrow(message);
  });
});
