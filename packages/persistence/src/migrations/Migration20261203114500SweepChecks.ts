import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * Sweep bookkeeping beyond payments: per Stripe connection, when its disputes are read next and up
 * to when lost disputes are applied; per customer, when the provider is next asked for a payment
 * method saved without its webhook, how often it was, and when last.
 */
export class Migration20261203114500SweepChecks extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."stripe_connections" add column "disputes_check_at" timestamptz null`);
    this.addSql(`alter table ${s}."stripe_connections" add column "disputes_checked_until" timestamptz null`);
    this.addSql(`alter table ${s}."customers" add column "method_check_at" timestamptz null`);
    this.addSql(`alter table ${s}."customers" add column "method_checks" int not null default 0`);
    this.addSql(`alter table ${s}."customers" add column "method_checked_at" timestamptz null`);
    this.addSql(
      `create index "invoices_waiting_for_method_index" on ${s}."invoices" ("customer_id") where "status" = 'finalized' and "payment_status" = 'pending' and ("payment_waiting_for" = 'no_payment_method' or "payment_waiting_for" is null)`,
    );
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`drop index if exists ${s}."invoices_waiting_for_method_index"`);
    this.addSql(`alter table ${s}."customers" drop column if exists "method_checked_at"`);
    this.addSql(`alter table ${s}."customers" drop column if exists "method_checks"`);
    this.addSql(`alter table ${s}."customers" drop column if exists "method_check_at"`);
    this.addSql(`alter table ${s}."stripe_connections" drop column if exists "disputes_checked_until"`);
    this.addSql(`alter table ${s}."stripe_connections" drop column if exists "disputes_check_at"`);
  }
}
