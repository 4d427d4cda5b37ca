import { conflict, type DomainError, invalidField, notAllowed, notFound } from '@payrail/domain';
import { describe, expect, it } from 'vitest';
import { lagoErrorFromDomain, paginationMeta } from '../src/index.js';

const cases: [string, DomainError, unknown][] = [
  ['not found', notFound('customer'), { status: 404, error: 'Not Found', code: 'customer_not_found' }],
  [
    'state refusal',
    notAllowed('not_voidable', 'x'),
    { status: 405, error: 'Method Not Allowed', code: 'not_voidable' },
  ],
  [
    'validation',
    invalidField('amount_cents', 'invalid_value'),
    {
      status: 422,
      error: 'Unprocessable Entity',
      code: 'validation_errors',
      error_details: { amount_cents: ['invalid_value'] },
    },
  ],
  [
    'third party',
    { kind: 'third_party', code: 'third_party_error', message: 'boom', retryable: false },
    {
      status: 422,
      error: 'Unprocessable Entity',
      code: 'third_party_error',
      error_details: { third_party: 'Stripe', thirdparty_error: 'boom' },
    },
  ],
  [
    'rate limited',
    { kind: 'unavailable', code: 'too_many_provider_requests', message: 'slow down', retryable: true },
    {
      status: 429,
      error: 'Too Many Provider Requests',
      code: 'too_many_provider_requests',
      error_details: { provider_name: 'Stripe', message: 'slow down' },
    },
  ],
  [
    'provider unauthorized',
    {
      kind: 'provider_unauthorized',
      code: 'provider_unauthorized',
      message: 'Invalid API Key',
      retryable: false,
    },
    { status: 401, error: 'Invalid API Key' },
  ],
  ['conflict', conflict('raced'), { status: 409, error: 'Conflict', code: 'conflict' }],
];

describe('lagoErrorFromDomain', () => {
  it.each(cases)('maps %s', (_name, error, body) => {
    expect(lagoErrorFromDomain(error)).toEqual(body);
  });

  it('maps a provider error with its connection code and details', () => {
    const body = lagoErrorFromDomain({
      kind: 'provider',
      code: 'provider_error',
      connectionCode: 'stripe_test',
      details: { code: 'card_declined', message: 'declined', requestId: 'req_1', httpStatus: 402 },
      message: 'declined',
      retryable: false,
    });
    expect(body).toEqual({
      status: 422,
      error: 'Unprocessable Entity',
      code: 'provider_error',
      provider: { code: 'stripe_test' },
      error_details: {
        code: 'card_declined',
        message: 'declined',
        request_id: 'req_1',
        http_status: 402,
        http_body: null,
      },
    });
  });
});

describe('paginationMeta', () => {
  it.each([
    [
      { page: 1, perPage: 100 },
      0,
      { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 },
    ],
    [
      { page: 2, perPage: 20 },
      70,
      { current_page: 2, next_page: 3, prev_page: 1, total_pages: 4, total_count: 70 },
    ],
    [
      { page: 4, perPage: 20 },
      70,
      { current_page: 4, next_page: null, prev_page: 3, total_pages: 4, total_count: 70 },
    ],
    [
      { page: 1, perPage: 20 },
      5,
      { current_page: 1, next_page: null, prev_page: null, total_pages: 1, total_count: 5 },
    ],
  ])('page %o of %i results', (request, total, meta) => {
    expect(paginationMeta(request, total)).toEqual(meta);
  });
});
