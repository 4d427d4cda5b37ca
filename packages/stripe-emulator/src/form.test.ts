import { describe, expect, it } from 'vitest';
import { decodeForm, FormDecodeError } from './form.js';

describe('decodeForm', () => {
  it('decodes flat and nested parameters as the stripe SDK sends them', () => {
    expect(decodeForm('email=a%40b.co&metadata[orderId]=o1&name=Ann+Lee')).toEqual({
      email: 'a@b.co',
      metadata: { orderId: 'o1' },
      name: 'Ann Lee',
    });
  });

  it('builds arrays from indices and empty brackets', () => {
    expect(
      decodeForm('expand[0]=customer&expand[1]=latest_charge&enabled_events[]=a&enabled_events[]=b'),
    ).toEqual({
      expand: ['customer', 'latest_charge'],
      enabled_events: ['a', 'b'],
    });
  });

  it('decodes arrays of objects', () => {
    expect(decodeForm('items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2')).toEqual({
      items: [{ price: 'p1', quantity: '2' }, { price: 'p2' }],
    });
  });

  it('returns an empty object for an empty body', () => {
    expect(decodeForm('')).toEqual({});
  });

  it.each(['[x]=1', 'a[b]c=1', 'a=1&a[b]=2'])('rejects malformed %j', (body) => {
    expect(() => decodeForm(body)).toThrow(FormDecodeError);
  });
});
