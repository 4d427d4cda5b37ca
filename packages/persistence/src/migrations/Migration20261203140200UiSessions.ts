import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * Web UI sessions: the browser holds a random token, the row holds its SHA-256, the API key the UI
 * calls the REST API with (sealed, bound to the row), and the idle and absolute deadlines.
 */
export class Migration20261203140200UiSessions extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(
      `create table ${s}."ui_sessions" ("id" uuid not null, "organization_id" uuid not null, "api_key_id" uuid not null, "token_hash" varchar(64) not null, "api_key_sealed" text not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, constraint "ui_sessions_pkey" primary key ("id"))`,
    );
    this.addSql(
      `alter table ${s}."ui_sessions" add constraint "ui_sessions_token_hash_unique" unique ("token_hash")`,
    );
    this.addSql(`create index "ui_sessions_expires_at_index" on ${s}."ui_sessions" ("expires_at")`);
    this.addSql(
      `alter table ${s}."ui_sessions" add constraint "ui_sessions_organization_id_foreign" foreign key ("organization_id") references ${s}."organizations" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table ${s}."ui_sessions" add constraint "ui_sessions_api_key_id_foreign" foreign key ("api_key_id") references ${s}."api_keys" ("id") on update cascade on delete cascade`,
    );
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`drop table if exists ${s}."ui_sessions" cascade`);
  }
}
