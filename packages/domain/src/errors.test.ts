import { describe, expect, it } from 'vitest';
import { conflict, invalidField, notAllowed, notFound, validation } from './errors.js';

describe('domain errors', () => {
  it.each([
    ['customer', 'customer_not_found'],
    ['add_on', 'add_on_not_found'],
    ['fees', 'fees_not_found'],
    ['credit_note', 'credit_note_not_found'],
  ] as const)('not found %s → %s', (resource, code) => {
    expect(notFound(resource)).toMatchObject({ kind: 'not_found', code, resource, retryable: false });
  });

  it('carries Lago’s 405 codes and 422 field details', () => {
    expect(notAllowed('not_voidable', 'no')).toMatchObject({ kind: 'not_allowed', code: 'not_voidable' });
    expect(
      validation({ code: ['value_already_exist'], base: ['payment_provider_code_missing'] }),
    ).toMatchObject({
      kind: 'validation',
      code: 'validation_errors',
      message: 'code: value_already_exist; base: payment_provider_code_missing',
    });
    expect(invalidField('success_redirect_url', 'url_is_invalid').kind).toBe('validation');
  });

  it('marks a lost race as retryable', () => {
    expect(conflict('raced')).toMatchObject({ kind: 'conflict', retryable: true });
  });
});
