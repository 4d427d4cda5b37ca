import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multiplyUnits, parseUnits } from './units.js';

describe('parseUnits', () => {
  it.each([
    [undefined, '1.0'],
    [null, '1.0'],
    [2, '2.0'],
    ['2.5', '2.5'],
    ['2.50', '2.5'],
    [' 3 ', '3.0'],
    ['0.001', '0.001'],
    [0.5, '0.5'],
  ])('normalises %j to %s', (input, expected) => {
    expect(parseUnits(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['0', '-1', 'abc', '1e3', '', '1.', Number.NaN, -2, 0])('rejects %j', (input) => {
    expect(parseUnits(input as string | number)).toEqual({ ok: false, error: 'value_is_invalid' });
  });
});

describe('multiplyUnits', () => {
  it.each([
    ['1.0', 12000, 12000],
    ['2.5', 12000, 30000],
    ['0.333', 100, 33],
    ['0.335', 100, 34],
    ['0.5', 1, 1],
    ['3.0', 0, 0],
  ])('%s × %i = %i', (units, unit, expected) => {
    expect(multiplyUnits(units, unit)).toEqual({ ok: true, value: expected });
  });

  it('matches integer multiplication for whole units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (units, cents) => {
          expect(multiplyUnits(`${units}.0`, cents)).toEqual({ ok: true, value: units * cents });
        },
      ),
    );
  });

  it.each([
    ['1000000000000000.0', 1e15],
    ['99999999999999999999.0', 100],
    ['9007199254740992.0', 1],
  ])('%s × %i is out of range, not a throw', (units, unit) => {
    expect(multiplyUnits(units, unit)).toEqual({ ok: false, error: 'value_is_out_of_range' });
  });
});
