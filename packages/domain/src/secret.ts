/**
 * A secret (Stripe key, webhook signing secret) held in memory. It never shows up in logs,
 * `JSON.stringify` or string interpolation; only `reveal()` gives the value, at the edge that needs it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** `sk_test_…4242`: the prefix and the last four characters, as shown to operators. */
  masked(): string {
    const v = this.#value;
    const prefix = /^[a-z]+_(test_|live_)?/.exec(v)?.[0] ?? '';
    // Short values would be mostly revealed by their last four characters.
    return v.length - prefix.length < 8 ? '****' : `${prefix}…${v.slice(-4)}`;
  }

  equals(other: Secret): boolean {
    return this.#value === other.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }
}
