import { describe, expect, it } from 'vitest';
import { unwrap, unwrapErr, useEmulator } from './harness.js';

const harness = useEmulator();

const address = {
  line1: '1 Rue de la Paix',
  line2: 'Bât. B',
  city: 'Paris',
  state: null,
  zipcode: '75002',
  country: 'FR',
};

describe('createCustomer', () => {
  it('creates the Stripe customer with our ids in the metadata', async () => {
    const account = harness.account();
    const created = unwrap(
      await account.gateway.createCustomer({
        name: 'Ada Lovelace',
        email: 'ada@example.com, billing@example.com',
        phone: '+33100000000',
        address,
        metadata: { lago_customer_id: '5f0c…-uuid', customer_id: 'ext-42' },
        idempotencyKey: 'customer-5f0c-1',
      }),
    );
    expect(created.providerCustomerId).toMatch(/^cus_/);
    const customer = await account.stripe.customers.retrieve(created.providerCustomerId);
    expect(customer).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+33100000000',
      address: {
        line1: '1 Rue de la Paix',
        line2: 'Bât. B',
        city: 'Paris',
        postal_code: '75002',
        country: 'FR',
      },
      metadata: { lago_customer_id: '5f0c…-uuid', customer_id: 'ext-42' },
    });
  });

  it('returns the same customer when the job retries with the same key', async () => {
    const account = harness.account();
    const input = {
      name: 'Grace Hopper',
      email: null,
      phone: null,
      address: { line1: null, line2: null, city: null, state: null, zipcode: null, country: null },
      metadata: { lago_customer_id: 'c-1', customer_id: 'ext-1' },
      idempotencyKey: 'customer-c-1-1700000000',
    };
    const first = unwrap(await account.gateway.createCustomer(input));
    const second = unwrap(await account.gateway.createCustomer(input));
    expect(second.providerCustomerId).toBe(first.providerCustomerId);
    const list = await account.stripe.customers.list();
    expect(list.data.map((c) => c.id)).toEqual([first.providerCustomerId]);
    expect(list.data[0]?.address ?? null).toBeNull();
  });
});

describe('updateCustomer', () => {
  it('sends the name, email, phone and address we hold', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({
      name: 'Old',
      email: 'old@example.com',
      phone: '+1000',
    });
    unwrap(
      await account.gateway.updateCustomer({
        providerCustomerId: customer.id,
        name: 'New name',
        email: 'new@example.com',
        phone: '+2000',
        address,
      }),
    );
    const updated = await account.stripe.customers.retrieve(customer.id);
    expect(updated).toMatchObject({
      name: 'New name',
      email: 'new@example.com',
      phone: '+2000',
      address: { line1: '1 Rue de la Paix', city: 'Paris', postal_code: '75002', country: 'FR' },
    });
  });

  it('never blanks at Stripe a field we hold no value for', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({
      name: 'Kept name',
      email: 'kept@example.com',
      phone: '+1000',
      address: { line1: '5 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    unwrap(
      await account.gateway.updateCustomer({
        providerCustomerId: customer.id,
        name: null,
        email: null,
        phone: null,
        address: { line1: null, line2: null, city: null, state: null, zipcode: null, country: null },
      }),
    );
    expect(await account.stripe.customers.retrieve(customer.id)).toMatchObject({
      name: 'Kept name',
      email: 'kept@example.com',
      phone: '+1000',
      address: { line1: '5 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
  });

  it('fills the address parts we lack from the ones Stripe holds', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({
      address: { line1: '5 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    unwrap(
      await account.gateway.updateCustomer({
        providerCustomerId: customer.id,
        name: 'Only a name and a city',
        email: null,
        phone: null,
        address: { line1: null, line2: null, city: 'Chicago', state: null, zipcode: null, country: null },
      }),
    );
    expect(await account.stripe.customers.retrieve(customer.id)).toMatchObject({
      name: 'Only a name and a city',
      address: { line1: '5 Main St', city: 'Chicago', state: 'IL', postal_code: '62701', country: 'US' },
    });
  });

  it('maps an unknown customer to not_found', async () => {
    const account = harness.account();
    const error = unwrapErr(
      await account.gateway.updateCustomer({
        providerCustomerId: 'cus_missing',
        name: 'x',
        email: null,
        phone: null,
        address,
      }),
    );
    expect(error.code).toBe('not_found');
  });
});
