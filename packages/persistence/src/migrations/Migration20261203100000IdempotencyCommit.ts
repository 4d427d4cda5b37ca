import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * An `Idempotency-Key` is marked in the transaction that writes (`committed_at`, with the ids it
 * wrote), so a retry after a lost answer replays what was committed instead of writing again.
 */
export class Migration20261203100000IdempotencyCommit extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(
      `alter table ${s}."api_idempotency_records" add column "committed_at" timestamptz null, add column "written" jsonb null, add column "released_at" timestamptz null`,
    );
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(
      `alter table ${s}."api_idempotency_records" drop column "committed_at", drop column "written", drop column "released_at"`,
    );
  }
}
