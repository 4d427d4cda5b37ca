import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000Initial } from './Migration20261126000000Initial.js';
import { Migration20261126220000InvoiceMetadata } from './Migration20261126220000InvoiceMetadata.js';
import { Migration20261126221000ManualPayments } from './Migration20261126221000ManualPayments.js';
import { Migration20261203090000PaymentAttempts } from './Migration20261203090000PaymentAttempts.js';
import { Migration20261203100000IdempotencyCommit } from './Migration20261203100000IdempotencyCommit.js';
import { Migration20261203114500SweepChecks } from './Migration20261203114500SweepChecks.js';
import { Migration20261203140100FinancialRecordsOutliveOrganization } from './Migration20261203140100FinancialRecordsOutliveOrganization.js';
import { Migration20261203140200UiSessions } from './Migration20261203140200UiSessions.js';
import { Migration20261204090000PaymentLinks } from './Migration20261204090000PaymentLinks.js';
import { Migration20261204100000HotPathIndexes } from './Migration20261204100000HotPathIndexes.js';
import { Migration20261204110000PaymentRequests } from './Migration20261204110000PaymentRequests.js';
import { Migration20261205090000StripeRequestBudgets } from './Migration20261205090000StripeRequestBudgets.js';

/** Every migration, oldest first. A new migration is added here by hand. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000Initial', class: Migration20261126000000Initial },
  { name: 'Migration20261126220000InvoiceMetadata', class: Migration20261126220000InvoiceMetadata },
  { name: 'Migration20261126221000ManualPayments', class: Migration20261126221000ManualPayments },
  { name: 'Migration20261203090000PaymentAttempts', class: Migration20261203090000PaymentAttempts },
  { name: 'Migration20261203100000IdempotencyCommit', class: Migration20261203100000IdempotencyCommit },
  { name: 'Migration20261203114500SweepChecks', class: Migration20261203114500SweepChecks },
  {
    name: 'Migration20261203140100FinancialRecordsOutliveOrganization',
    class: Migration20261203140100FinancialRecordsOutliveOrganization,
  },
  { name: 'Migration20261203140200UiSessions', class: Migration20261203140200UiSessions },
  { name: 'Migration20261204090000PaymentLinks', class: Migration20261204090000PaymentLinks },
  { name: 'Migration20261204100000HotPathIndexes', class: Migration20261204100000HotPathIndexes },
  { name: 'Migration20261204110000PaymentRequests', class: Migration20261204110000PaymentRequests },
  { name: 'Migration20261205090000StripeRequestBudgets', class: Migration20261205090000StripeRequestBudgets },
];
