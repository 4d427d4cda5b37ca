import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * Payment requests: several overdue invoices of one customer collected as one payment. The
 * request's attempt is a `payments` row naming the request in `payment_request_id` (decision 0270).
 */
export class Migration20261204110000PaymentRequests extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    for (const sql of [
      `create table ${s}."payment_requests" ("id" uuid not null, "organization_id" uuid not null, "customer_id" uuid not null, "email" varchar(255) null, "items" jsonb not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "payment_status" varchar(255) not null, "payment_id" uuid null, "succeeded_at" timestamptz null, "failed_at" timestamptz null, "failure_code" varchar(255) null, "failure_message" text null, "version" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "payment_requests_pkey" primary key ("id"))`,
      `create index "payment_requests_organization_created_index" on ${s}."payment_requests" ("organization_id", "created_at")`,
      `create index "payment_requests_customer_index" on ${s}."payment_requests" ("customer_id")`,
      `alter table ${s}."payment_requests" add constraint "payment_requests_organization_id_foreign" foreign key ("organization_id") references ${s}."organizations" ("id") on update cascade on delete restrict`,
      `alter table ${s}."payment_requests" add constraint "payment_requests_customer_id_foreign" foreign key ("customer_id") references ${s}."customers" ("id") on update cascade on delete restrict`,
      `alter table ${s}."payments" add column "payment_request_id" uuid null`,
      `alter table ${s}."payments" add constraint "payments_payment_request_id_foreign" foreign key ("payment_request_id") references ${s}."payment_requests" ("id") on update cascade on delete restrict`,
      `create index "payments_payment_request_index" on ${s}."payments" ("payment_request_id")`,
    ]) {
      this.addSql(sql);
    }
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."payments" drop column if exists "payment_request_id"`);
    this.addSql(`drop table if exists ${s}."payment_requests" cascade`);
  }
}
