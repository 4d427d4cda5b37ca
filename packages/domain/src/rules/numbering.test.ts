import { describe, expect, it } from 'vitest';
import { creditNoteNumber, invoiceNumber, isoDate } from './numbering.js';

describe('document numbers', () => {
  it.each([
    ['LAG-1234', 1, 2, 'LAG-1234-001-002'],
    ['ACM', 12, 345, 'ACM-012-345'],
    ['ACM', 1000, 1, 'ACM-1000-001'],
  ])('invoice %s/%i/%i → %s', (prefix, customerSeq, invoiceSeq, expected) => {
    expect(invoiceNumber(prefix, customerSeq, invoiceSeq)).toBe(expected);
  });

  it('numbers credit notes after their invoice', () => {
    expect(creditNoteNumber('LAG-1234-001-002', 1)).toBe('LAG-1234-001-002-CN001');
  });

  it('formats issuing dates in UTC', () => {
    expect(isoDate(new Date('2026-11-26T23:59:59Z'))).toBe('2026-11-26');
  });
});
