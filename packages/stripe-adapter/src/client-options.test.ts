import { describe, expect, it } from 'vitest';
import { parseStripeApiBase, STRIPE_DEFAULT_ENDPOINT } from './client-options.js';

describe('parseStripeApiBase', () => {
  it('defaults to Stripe itself', () => {
    expect(parseStripeApiBase(undefined)).toEqual(STRIPE_DEFAULT_ENDPOINT);
    expect(parseStripeApiBase('')).toEqual(STRIPE_DEFAULT_ENDPOINT);
  });

  it.each([
    ['http://127.0.0.1:12111', { host: '127.0.0.1', port: 12111, protocol: 'http' }],
    ['https://stripe.internal', { host: 'stripe.internal', port: 443, protocol: 'https' }],
    ['http://localhost', { host: 'localhost', port: 80, protocol: 'http' }],
  ])('parses %s', (input, expected) => {
    expect(parseStripeApiBase(input)).toEqual(expected);
  });

  it.each(['not a url', 'ftp://host'])('names the variable when %j is wrong', (input) => {
    expect(() => parseStripeApiBase(input)).toThrow(/STRIPE_API_BASE/);
  });
});
