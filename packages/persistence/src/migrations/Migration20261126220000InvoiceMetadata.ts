import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/** Invoice metadata (`PUT /invoices/{id}` with `metadata[]`), one row per entry. */
export class Migration20261126220000InvoiceMetadata extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    for (const sql of [
      `create table ${s}."invoice_metadata" ("id" uuid not null, "invoice_id" uuid not null, "position" int not null, "key" varchar(255) not null, "value" text not null, "created_at" timestamptz not null, constraint "invoice_metadata_pkey" primary key ("id"))`,
      `create index "invoice_metadata_invoice_id_index" on ${s}."invoice_metadata" ("invoice_id")`,
      `alter table ${s}."invoice_metadata" add constraint "invoice_metadata_invoice_id_foreign" foreign key ("invoice_id") references ${s}."invoices" ("id") on update cascade on delete cascade`,
    ]) {
      this.addSql(sql);
    }
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`drop table if exists ${s}."invoice_metadata" cascade`);
  }
}
