import { describe, expect, it } from 'vitest';
import { SafeBigIntType } from './safe-bigint.js';

describe('SafeBigIntType', () => {
  const type = new SafeBigIntType();

  it('maps bigint strings to numbers and back', () => {
    expect(type.convertToJSValue('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(type.convertToJSValue('-30000')).toBe(-30_000);
    expect(type.convertToDatabaseValue(30_000)).toBe('30000');
  });

  it('refuses amounts a JS number cannot hold exactly, in both directions', () => {
    expect(() => type.convertToJSValue('9007199254740993')).toThrow(RangeError);
    expect(() => type.convertToDatabaseValue(2 ** 53)).toThrow(RangeError);
    expect(() => type.convertToDatabaseValue(1.5)).toThrow(RangeError);
    expect(() => type.convertToDatabaseValue(Number.NaN)).toThrow(RangeError);
  });
});
