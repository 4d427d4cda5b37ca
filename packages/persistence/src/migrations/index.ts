import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000Initial } from './Migration20261126000000Initial.js';

/** Every migration, oldest first. A new migration is added here by hand. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000Initial', class: Migration20261126000000Initial },
];
