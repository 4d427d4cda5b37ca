import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { translateStripeError } from './errors.js';

/** Errors built by the SDK's own factory from wire bodies, exactly as a failed request builds them. */
function wire(statusCode: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return Stripe.errors.StripeError.generate({ ...body, statusCode, headers, requestId: 'req_123' } as never);
}

const declinedPi = { id: 'pi_declined', object: 'payment_intent', status: 'requires_payment_method' };

describe('translateStripeError', () => {
  it.each([
    [
      'a declined card',
      wire(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
        payment_intent: declinedPi,
      }),
      {
        code: 'card_declined',
        providerCode: 'card_declined',
        providerPaymentId: 'pi_declined',
        message: 'Your card has insufficient funds.',
      },
    ],
    [
      'an expired card',
      wire(402, { type: 'card_error', code: 'expired_card', message: 'Your card has expired.' }),
      { code: 'card_declined', providerCode: 'expired_card', providerPaymentId: null },
    ],
    [
      'a card that needs authentication off-session',
      wire(402, {
        type: 'card_error',
        code: 'authentication_required',
        message: 'This transaction requires authentication.',
        payment_intent: declinedPi,
      }),
      { code: 'requires_action', providerCode: 'authentication_required', providerPaymentId: 'pi_declined' },
    ],
    [
      'a charge that would need the customer, refused by error_on_requires_action',
      wire(402, {
        type: 'card_error',
        code: 'requires_action_not_handled',
        message: 'This payment requires an action.',
      }),
      { code: 'requires_action', providerCode: 'requires_action_not_handled', providerPaymentId: null },
    ],
    [
      'an amount below the minimum',
      wire(400, {
        type: 'invalid_request_error',
        code: 'amount_too_small',
        param: 'amount',
        message: 'Amount must be at least $0.50 usd',
      }),
      { code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' },
    ],
    [
      'a rate limit',
      wire(429, { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many' }),
      { code: 'retryable', reason: 'rate_limited' },
    ],
    [
      'a rate limit sent as 400',
      wire(400, { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many' }),
      { code: 'retryable', reason: 'rate_limited' },
    ],
    [
      'a lock timeout',
      wire(429, { type: 'invalid_request_error', code: 'lock_timeout', message: 'Locked' }),
      { code: 'retryable', reason: 'lock_timeout' },
    ],
    [
      'an idempotency key in use',
      wire(409, { type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'In use' }),
      { code: 'retryable', reason: 'lock_timeout' },
    ],
    [
      'a server error',
      wire(500, { type: 'api_error', message: 'Oops' }),
      { code: 'retryable', reason: 'server_error' },
    ],
    [
      'a bad gateway',
      wire(502, { type: 'api_error', message: 'Bad gateway' }),
      { code: 'retryable', reason: 'server_error' },
    ],
    [
      'a rejected key',
      wire(401, { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****abcd' }),
      { code: 'invalid_credentials', message: 'Invalid API Key provided: sk_test_****abcd' },
    ],
    [
      'a restricted key',
      wire(403, {
        type: 'invalid_request_error',
        message: 'The provided key does not have the required permissions',
      }),
      { code: 'invalid_credentials' },
    ],
    [
      'a missing object',
      wire(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such payment_intent: 'pi_x'",
      }),
      { code: 'not_found' },
    ],
    [
      'a missing referenced object',
      wire(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'customer',
        message: "No such customer: 'cus_x'",
      }),
      { code: 'not_found' },
    ],
    [
      'a bank debit without a mandate, the intent left waiting for confirmation',
      wire(400, {
        type: 'invalid_request_error',
        message:
          'This PaymentIntent requires a mandate, but no existing mandate was found. Collect mandate acceptance from the customer and try again, providing acceptance data in the mandate_data parameter.',
        payment_intent: { id: 'pi_waiting', object: 'payment_intent', status: 'requires_confirmation' },
      }),
      {
        code: 'mandate_required',
        providerPaymentId: 'pi_waiting',
        message: expect.stringMatching(/^This PaymentIntent requires a mandate/),
        details: { httpStatus: 400, httpBody: { error: { payment_intent: 'pi_waiting' } } },
      },
    ],
    [
      'another 400 that carries an intent',
      wire(400, {
        type: 'invalid_request_error',
        message: 'You cannot confirm this PaymentIntent because it has a status of succeeded.',
        code: 'payment_intent_unexpected_state',
        payment_intent: { id: 'pi_done', object: 'payment_intent', status: 'succeeded' },
      }),
      { code: 'invalid_request', providerCode: 'payment_intent_unexpected_state' },
    ],
    [
      'a reused idempotency key',
      wire(400, {
        type: 'idempotency_error',
        message: 'Keys for idempotent requests can only be used with the same parameters',
      }),
      { code: 'invalid_request', providerCode: 'idempotency_error' },
    ],
    [
      'an invalid parameter',
      wire(400, {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param: 'payment_method_types',
        message: 'Received unknown parameter',
      }),
      { code: 'invalid_request', providerCode: 'parameter_unknown' },
    ],
    [
      'a network failure',
      new Stripe.errors.StripeConnectionError({ message: 'socket hang up' }),
      { code: 'retryable', reason: 'network' },
    ],
  ])('maps %s', (_name, error, expected) => {
    expect(translateStripeError(error)).toMatchObject(expected);
  });

  it('keeps a plain copy of the error body for error_details, not SDK objects', () => {
    const translated = translateStripeError(
      wire(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Declined',
        charge: 'ch_1',
        payment_intent: declinedPi,
      }),
    );
    expect(translated).toMatchObject({
      details: {
        requestId: 'req_123',
        httpStatus: 402,
        httpBody: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'generic_decline',
            message: 'Declined',
            charge: 'ch_1',
            payment_intent: 'pi_declined',
          },
        },
      },
    });
    expect(JSON.parse(JSON.stringify(translated))).toEqual(translated);
  });
});
