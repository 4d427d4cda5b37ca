import { Migration } from '@mikro-orm/migrations';
import { quoteIdent } from '../sql/quote.js';

/** Tables whose rows are money owed or moved: deleting their organization must not erase them. */
export const FINANCIAL_TABLES = [
  'customers',
  'invoices',
  'payments',
  'credit_notes',
  'manual_payments',
] as const;

/**
 * Deleting an organization used to cascade to its customers, invoices, payments, credit notes and
 * manual payments. They now restrict: the database refuses to delete an organization that still has
 * any of them (decision 0303).
 */
export class Migration20261203140100FinancialRecordsOutliveOrganization extends Migration {
  override up(): void {
    this.setRule('restrict');
  }

  override down(): void {
    this.setRule('cascade');
  }

  private setRule(rule: 'restrict' | 'cascade'): void {
    const s = quoteIdent(this.config.get('schema') ?? 'public');
    for (const table of FINANCIAL_TABLES) {
      const name = `${table}_organization_id_foreign`;
      this.addSql(
        `alter table ${s}."${table}" drop constraint "${name}", add constraint "${name}" foreign key ("organization_id") references ${s}."organizations" ("id") on update cascade on delete ${rule}`,
      );
    }
  }
}
