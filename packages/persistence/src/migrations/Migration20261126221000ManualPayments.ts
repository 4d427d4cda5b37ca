import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/** Manual payments (`POST /payments`), kept apart from Stripe attempts. */
export class Migration20261126221000ManualPayments extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    for (const sql of [
      `create table ${s}."manual_payments" ("id" uuid not null, "organization_id" uuid not null, "invoice_id" uuid not null, "customer_id" uuid not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "reference" varchar(255) not null, "paid_at" timestamptz not null, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "manual_payments_pkey" primary key ("id"))`,
      `create index "manual_payments_invoice_index" on ${s}."manual_payments" ("invoice_id")`,
      `alter table ${s}."manual_payments" add constraint "manual_payments_organization_id_foreign" foreign key ("organization_id") references ${s}."organizations" ("id") on update cascade on delete cascade`,
      `alter table ${s}."manual_payments" add constraint "manual_payments_invoice_id_foreign" foreign key ("invoice_id") references ${s}."invoices" ("id") on update cascade`,
      `alter table ${s}."manual_payments" add constraint "manual_payments_customer_id_foreign" foreign key ("customer_id") references ${s}."customers" ("id") on update cascade`,
    ]) {
      this.addSql(sql);
    }
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`drop table if exists ${s}."manual_payments" cascade`);
  }
}
