import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * Invoice payment links: an attempt the customer pays on Stripe's hosted page has no saved method
 * to charge, and keeps its page (line item name, session id, URL, expiry) in `checkout`.
 */
export class Migration20261204090000PaymentLinks extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."payments" alter column "provider_payment_method_id" drop not null`);
    this.addSql(`alter table ${s}."payments" add column "checkout" jsonb null`);
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."payments" drop column if exists "checkout"`);
    this.addSql(`delete from ${s}."payments" where "provider_payment_method_id" is null`);
    this.addSql(`alter table ${s}."payments" alter column "provider_payment_method_id" set not null`);
  }
}
