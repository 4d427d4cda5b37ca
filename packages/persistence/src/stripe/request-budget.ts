import type { SqlRunner } from '../sql/runner.js';

/** A steady rate and how many may go at once (the stripe adapter's `RequestRate`). */
export interface BudgetRate {
  readonly perSecond: number;
  readonly burst: number;
}

/** The longest a caller is ever booked ahead, whatever the rate was before (a lowered limit, a clock step). */
const MAX_AHEAD_MS = 30_000;

/**
 * Each Stripe account's request budget, one row per account shared by every process: the
 * generic cell rate algorithm, where `free_at` (epoch milliseconds, by the database's clock) is
 * when the account's next request would be on schedule. Booking a slot is one statement: the row
 * moves on by one interval from `free_at`, or from now after a quiet spell, and the answer is how
 * long the caller waits for its slot, less the burst the rate allows. The row lock orders
 * concurrent callers, so no two get the same slot and the steady rate never passes `perSecond`.
 */
export class StripeRequestBudget {
  constructor(private readonly sql: SqlRunner) {}

  async reserve(account: string, rate: BudgetRate): Promise<number> {
    const intervalMs = 1000 / rate.perSecond;
    const [row] = await this.sql.rows<{ ahead_ms: number }>(
      `insert into ${this.sql.table('stripe_request_budgets')} as b ("account", "free_at")
         values (?, extract(epoch from clock_timestamp()) * 1000 + ?)
       on conflict ("account") do update set "free_at" =
         least(greatest(b."free_at", excluded."free_at" - ?), excluded."free_at" + ?) + ?
       returning "free_at" - extract(epoch from clock_timestamp()) * 1000 as "ahead_ms"`,
      [account, intervalMs, intervalMs, MAX_AHEAD_MS - intervalMs, intervalMs],
    );
    return Number(row?.ahead_ms ?? 0) - rate.burst * intervalMs;
  }
}
