/** A per-account token bucket, like Stripe's global per-account request limit. Off by default. */
export interface RateLimitOptions {
  /** Requests per second; null disables the limit. */
  perSecond: number | null;
  /** Bucket size (default: one second's worth). */
  burst?: number;
}

export interface RateLimitSettings {
  readonly perSecond: number | null;
  readonly burst: number;
  /** Requests admitted since the limit was last set (every request while it is off). */
  readonly admitted: number;
  /** Requests answered 429 since the limit was last set. */
  readonly refused: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private perSecond: number | null = null;
  private burst = 0;
  private buckets = new Map<string, Bucket>();
  private admitted = 0;
  private refused = 0;

  configure(opts: RateLimitOptions): void {
    this.perSecond = opts.perSecond && opts.perSecond > 0 ? opts.perSecond : null;
    this.burst = opts.burst ?? this.perSecond ?? 0;
    this.buckets.clear();
    this.admitted = 0;
    this.refused = 0;
  }

  /** The limit, and the requests it admitted and refused (429) since it was last configured. */
  settings(): RateLimitSettings {
    return { perSecond: this.perSecond, burst: this.burst, admitted: this.admitted, refused: this.refused };
  }

  /** Returns false when the account is over its limit. */
  take(account: string): boolean {
    if (this.perSecond === null) {
      this.admitted++;
      return true;
    }
    const now = performance.now();
    let b = this.buckets.get(account);
    if (!b) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(account, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens < 1) {
      this.refused++;
      return false;
    }
    b.tokens -= 1;
    this.admitted++;
    return true;
  }
}
