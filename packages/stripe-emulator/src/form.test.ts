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

  it('treats inherited names as ordinary keys', () => {
    expect(decodeForm('a[hasOwnProperty][x]=1&toString=2')).toEqual({
      a: { hasOwnProperty: { x: '1' } },
      toString: '2',
    });
    expect((Object.prototype.hasOwnProperty as unknown as Record<string, unknown>).x).toBeUndefined();
  });

  it('keeps empty values, which the SDK sends for null', () => {
    expect(decodeForm('description=&metadata[k]=')).toEqual({ description: '', metadata: { k: '' } });
  });

  it.each([
    '[x]=1',
    'a[b]c=1',
    'a=1&a[b]=2',
    'a[b]=2&a=1',
    '__proto__[polluted]=1',
    'metadata[__proto__][x]=1',
    'a[constructor][prototype][x]=1',
    'expand[100000]=x',
  ])('rejects malformed %j', (body) => {
    expect(() => decodeForm(body)).toThrow(FormDecodeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
