import { conflict, invalidField, ok } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import { RetryLaterError, settleResult } from './outcome.js';

describe('settleResult', () => {
  it('maps a value to done', () => {
    expect(settleResult(ok(1))).toEqual({ status: 'done' });
  });

  it('throws a retryable error back to the queue', () => {
    expect(() => settleResult({ ok: false, error: conflict('lost a race') })).toThrow(RetryLaterError);
  });

  it('parks an error a retry cannot fix, with its code', () => {
    expect(settleResult({ ok: false, error: invalidField('currency', 'value_is_invalid') })).toEqual({
      status: 'parked',
      reason: 'validation_errors: currency: value_is_invalid',
    });
  });
});
