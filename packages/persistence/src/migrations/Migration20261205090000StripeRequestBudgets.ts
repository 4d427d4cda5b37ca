import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * One row per Stripe account (a digest of its key): when its next request is on schedule, so every
 * process paces its calls to the account's rate limit (decision 0920).
 */
export class Migration20261205090000StripeRequestBudgets extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(
      `create table ${s}."stripe_request_budgets" ("account" varchar(64) not null, "free_at" double precision not null, constraint "stripe_request_budgets_pkey" primary key ("account"))`,
    );
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`drop table if exists ${s}."stripe_request_budgets"`);
  }
}
