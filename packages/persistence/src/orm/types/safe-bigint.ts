import { Type } from '@mikro-orm/core';

/**
 * Money columns are `bigint` in the database and plain numbers in the domain. Every amount the
 * product handles fits in a safe integer; a value that does not is refused rather than rounded.
 */
export class SafeBigIntType extends Type<number, string> {
  override convertToDatabaseValue(value: number | string): string {
    const n = typeof value === 'string' ? Number(value) : value;
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer amount: ${value}`);
    return String(n);
  }

  override convertToJSValue(value: number | string): number {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(n))
      throw new RangeError(`stored amount exceeds the safe integer range: ${value}`);
    return n;
  }

  override getColumnType(): string {
    return 'bigint';
  }

  override compareAsType(): string {
    return 'number';
  }

  override get runtimeType(): string {
    return 'number';
  }
}
