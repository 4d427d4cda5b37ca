import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * Every organization-scoped list reads its page (and counts its rows) from an index in its own
 * order, so one large tenant never slows another's pages; the inbox redrive finds unprocessed
 * events without reading the processed ones. Decision 0902.
 */
export class Migration20261204100000HotPathIndexes extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    for (const sql of [
      `create index "invoices_org_list_index" on ${s}."invoices" ("organization_id", "issuing_date" desc, "created_at" desc, "id")`,
      `create index "customers_org_list_index" on ${s}."customers" ("organization_id", "created_at" desc, "id") where "deleted_at" is null`,
      `create index "add_ons_org_list_index" on ${s}."add_ons" ("organization_id", "created_at" desc, "id") where "deleted_at" is null`,
      `create index "payments_org_list_index" on ${s}."payments" ("organization_id", "created_at" desc, "id")`,
      `create index "manual_payments_org_list_index" on ${s}."manual_payments" ("organization_id", "created_at" desc, "id")`,
      `create index "credit_notes_org_list_index" on ${s}."credit_notes" ("organization_id", "created_at" desc, "id")`,
      `create index "stripe_inbox_events_unprocessed_index" on ${s}."stripe_inbox_events" ("received_at") where "processed_at" is null`,
    ]) {
      this.addSql(sql);
    }
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    for (const name of [
      'stripe_inbox_events_unprocessed_index',
      'credit_notes_org_list_index',
      'manual_payments_org_list_index',
      'payments_org_list_index',
      'add_ons_org_list_index',
      'customers_org_list_index',
      'invoices_org_list_index',
    ]) {
      this.addSql(`drop index if exists ${s}.${quoteIdent(name)}`);
    }
  }
}
