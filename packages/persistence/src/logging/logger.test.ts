import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './logger.js';

describe('JSON logger', () => {
  it('writes one JSON line per entry above the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'api', level: 'info', write: (l) => lines.push(l) });
    logger.debug('hidden');
    logger.info('shown', { request_id: 'r1' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'shown',
      service: 'api',
      request_id: 'r1',
    });
  });

  it('redacts secret-looking keys at any depth', () => {
    expect(
      redact({
        authorization: 'Bearer pr_x',
        nested: { secret_key: 'sk_test_1', apiKey: 'k', hmac_key: 'h', ok: 1 },
        list: [{ password: 'p' }],
      }),
    ).toEqual({
      authorization: '[redacted]',
      nested: { secret_key: '[redacted]', apiKey: '[redacted]', hmac_key: '[redacted]', ok: 1 },
      list: [{ password: '[redacted]' }],
    });
  });
});

describe('JSON logger on stdout', () => {
  it('writes asynchronously, yet every line written before process.exit arrives, secrets redacted', () => {
    const source = fileURLToPath(new URL('./logger.ts', import.meta.url));
    const script = `
      import { createLogger } from ${JSON.stringify(source)};
      const logger = createLogger({ service: 'worker', level: 'info' });
      for (let i = 0; i < 2000; i++) logger.info('job done', { i, nested: { api_key: 'pr_secret' } });
      logger.debug('hidden');
      process.exit(0);
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2000);
    expect(out).not.toContain('pr_secret');
    expect(JSON.parse(lines[1999]!)).toMatchObject({
      level: 'info',
      service: 'worker',
      msg: 'job done',
      i: 1999,
      nested: { api_key: '[redacted]' },
    });
    expect(Object.keys(JSON.parse(lines[0]!)).slice(0, 3)).toEqual(['level', 'time', 'service']);
  });
});
