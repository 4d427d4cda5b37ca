import { describe, expect, it } from 'vitest';
import { CustomerInput, CustomerListQuery, CustomerSchema, serializeCustomerExtended } from '../src/index.js';
import { linkedCustomer } from './fixtures.js';

describe('request schemas give the use cases their input', () => {
  it('a customer body: keys left out stay out, null clears, the address takes only the keys sent', () => {
    const input = CustomerInput.parse({
      external_id: 'c1',
      name: null,
      city: 'Lyon',
      country: 'FR',
      billing_configuration: {
        payment_provider: 'stripe',
        sync_with_provider: true,
        provider_customer_id: null,
      },
    });
    expect(input).toEqual({
      externalId: 'c1',
      name: null,
      address: { city: 'Lyon', country: 'FR' },
      billingConfiguration: { paymentProvider: 'stripe', syncWithProvider: true, providerCustomerId: null },
    });
    expect(
      Object.entries(input)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k),
    ).toEqual(['externalId', 'name', 'address', 'billingConfiguration']);
    expect(CustomerInput.parse({ external_id: 'c2' })).toEqual({ externalId: 'c2' });
    expect(CustomerInput.safeParse({ external_id: 'c3', country: 'France' }).success).toBe(false);
  });

  it('customer list filters', () => {
    expect(CustomerListQuery.parse({ search_term: 'acme', countries: ['FR'] })).toEqual({
      searchTerm: 'acme',
      countries: ['FR'],
    });
  });
});

describe('response schemas describe what the serializers return', () => {
  it('a customer', () => {
    const wire = serializeCustomerExtended(linkedCustomer, {
      connectionCode: 'main',
      documentNumberPrefix: 'ACM-1A2B',
    });
    expect(CustomerSchema.strict().parse(wire)).toEqual(wire);
  });
});
