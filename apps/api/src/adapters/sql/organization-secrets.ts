import { randomUUID } from 'node:crypto';
import { hmacKeyContext, type SealContext } from '@payrail/persistence';
import type { OrganizationSecrets } from '../../ports/organization-secrets.js';
import type { SqlRunner } from './sql-runner.js';

interface Sealer {
  seal(plain: string, context: SealContext): string;
}

/**
 * Reads through persistence's `OrganizationStore.hmacKey`; rotation writes a new sealed key (a
 * UUID, like Lago's) into `organizations.hmac_key_sealed`.
 */
export class SqlOrganizationSecrets implements OrganizationSecrets {
  constructor(
    private readonly sql: SqlRunner,
    private readonly box: Sealer,
    private readonly store: { hmacKey(organizationId: string): Promise<string | null> },
  ) {}

  hmacKey(organizationId: string): Promise<string | null> {
    return this.store.hmacKey(organizationId);
  }

  async rotateHmacKey(organizationId: string): Promise<string> {
    const key = randomUUID();
    await this.sql.rows(
      `update ${this.sql.table('organizations')}
          set "hmac_key_sealed" = ?, "version" = "version" + 1, "updated_at" = ?
        where "id" = ?`,
      [this.box.seal(key, hmacKeyContext(organizationId)), new Date(), organizationId],
    );
    return key;
  }
}
