import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * What each attempt sent to the provider, so a resumed attempt sends the same request (rows from
 * before have none: such an attempt is only looked up at the provider, never sent again); and each
 * attempt's own next reconciliation time with its count of checks, for the sweep's backoff.
 */
export class Migration20261203090000PaymentAttempts extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."payments" add column "provider_request" jsonb null`);
    this.addSql(`alter table ${s}."payments" add column "reconcile_at" timestamptz null`);
    this.addSql(`alter table ${s}."payments" add column "reconcile_checks" int not null default 0`);
    this.addSql(
      `create index "payments_in_flight_organization_index" on ${s}."payments" ("organization_id") where "status" in ('pending', 'processing', 'requires_action')`,
    );
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`drop index if exists ${s}."payments_in_flight_organization_index"`);
    this.addSql(`alter table ${s}."payments" drop column if exists "reconcile_checks"`);
    this.addSql(`alter table ${s}."payments" drop column if exists "reconcile_at"`);
    this.addSql(`alter table ${s}."payments" drop column if exists "provider_request"`);
  }
}
