import { describe, expect, it } from 'vitest';
import type { StripeConnection } from '../model/stripe-connection.js';
import { Secret } from '../secret.js';
import { chooseConnection } from './connection-choice.js';

function connection(code: string): StripeConnection {
  const at = new Date(0);
  return {
    id: `id-${code}`,
    organizationId: 'org',
    name: code,
    code,
    secretKey: new Secret('sk_test_x'),
    successRedirectUrl: null,
    webhookEndpoint: { providerEndpointId: 'we', signingSecret: new Secret('whsec') },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('chooseConnection', () => {
  const one = [connection('stripe_eu')];
  const two = [connection('stripe_eu'), connection('stripe_us')];

  it.each([
    [one, undefined, 'stripe_eu'],
    [one, null, 'stripe_eu'],
    [one, 'stripe_eu', 'stripe_eu'],
    [two, 'stripe_us', 'stripe_us'],
  ])('picks the connection (%#)', (connections, code, expected) => {
    const chosen = chooseConnection(connections, code);
    expect(chosen.ok && chosen.value.code).toBe(expected);
  });

  it.each([
    [two, undefined, 'payment_provider_code_missing'],
    [two, '', 'payment_provider_code_missing'],
    [one, 'stripe_us', 'payment_provider_not_found'],
    [[], undefined, 'payment_provider_not_found'],
    [[], 'stripe_eu', 'payment_provider_not_found'],
  ])('refuses (%#) with %s', (connections, code, error) => {
    expect(chooseConnection(connections, code)).toEqual({ ok: false, error });
  });
});
