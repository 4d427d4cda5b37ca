import { describe, expect, it } from 'vitest';
import { createJsonLogger, redact } from './logging.js';

describe('JSON logger', () => {
  it('writes one JSON line per entry above the level', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'info', write: (l) => lines.push(l), base: { service: 'api' } });
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
