import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/**
 * What each attempt sent to the provider, so a resumed attempt sends the same request. Rows from
 * before have none: such an attempt is only looked up at the provider, never sent again.
 */
export class Migration20261203090000PaymentRequest extends Migration {
  override up(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."payments" add column "provider_request" jsonb null`);
  }

  override down(): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    this.addSql(`alter table ${s}."payments" drop column if exists "provider_request"`);
  }
}
