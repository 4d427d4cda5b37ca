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
      webhookPrivateTargets: [],
      notFoundAttempts: 8,
      reconcile: { cron: '* * * * *', olderThanMs: 900_000, maxIntervalMs: 21_600_000, batchSize: 100 },
      disputeChecks: { everyMs: 3_600_000 },
      waitingCollections: { firstCheckAfterMs: 900_000, maxIntervalMs: 86_400_000 },
    });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 3002 });
  });

  it('opens loopback or private webhook targets only when listed', () => {
    const loopback = parseWorkerEnv({ ...base, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'loopback' });
    expect(loopback.settings.webhookPrivateTargets).toEqual(['loopback']);
    const both = parseWorkerEnv({ ...base, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'private,loopback' });
    expect(both.settings.webhookPrivateTargets).toEqual(['private', 'loopback']);
  });

  it.each([
    [{ PUBLIC_BASE_URL: undefined }, /PUBLIC_BASE_URL/],
    [{ WORKER_CONCURRENCY: '0' }, /WORKER_CONCURRENCY/],
    [{ WEBHOOK_ATTEMPTS: '20' }, /WEBHOOK_ATTEMPTS/],
    [{ DISPUTE_CHECK_EVERY_SECONDS: '10' }, /DISPUTE_CHECK_EVERY_SECONDS/],
    [{ METHOD_CHECK_AFTER_SECONDS: '90000' }, /METHOD_CHECK_AFTER_SECONDS/],
    [{ WEBHOOK_ORGANIZATION_CONCURRENCY: '0' }, /WEBHOOK_ORGANIZATION_CONCURRENCY/],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'link-local' }, /WEBHOOK_ALLOW_PRIVATE_TARGETS/],
    [{ API_URL: 'not a url' }, /API_URL/],
    [{ WORKER_HTTP_PORT: '70000' }, /WORKER_HTTP_PORT/],
    [{ WEBHOOK_SIGNING_PRIVATE_KEY: 'garbage' }, /WEBHOOK_SIGNING_PRIVATE_KEY/],
    [{ WEBHOOK_SIGNING_PRIVATE_KEY: undefined }, /WEBHOOK_SIGNING_PRIVATE_KEY/],
  ])('names the variable when %j is wrong', (patch, message) => {
    expect(() => parseWorkerEnv({ ...base, ...patch })).toThrow(message);
  });
});
