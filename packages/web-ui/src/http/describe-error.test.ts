import { describe, expect, it } from 'vitest';
import { describeApiError } from './describe-error.js';

describe('API errors in plain words', () => {
  it("puts Stripe's message for a rejected key first", () => {
    expect(
      describeApiError({
        status: 422,
        error: 'Unprocessable Entity',
        code: 'validation_errors',
        message: 'Invalid API Key provided: sk_test_****0000',
        error_details: { secret_key: ['value_is_invalid'] },
      }),
    ).toEqual(['Invalid API Key provided: sk_test_****0000', 'secret key: is not valid']);
  });

  it('names the field and explains the code', () => {
    expect(
      describeApiError({
        status: 422,
        code: 'validation_errors',
        error_details: { success_redirect_url: ['url_is_invalid'] },
      }),
    ).toEqual(['success redirect url: must be a URL that begins with http:// or https://']);
  });

  it('explains state-machine refusals', () => {
    expect(
      describeApiError({
        status: 405,
        error: 'Method Not Allowed',
        code: 'payment_processor_is_currently_handling_payment',
      })[0],
    ).toContain('still processing');
  });

  it('falls back to the error and code it does not know', () => {
    expect(describeApiError({ status: 404, error: 'Not Found', code: 'invoice_not_found' })).toEqual([
      'Not Found (invoice_not_found)',
    ]);
  });
});
