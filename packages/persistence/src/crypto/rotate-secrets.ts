import type { MikroORM } from '@mikro-orm/postgresql';
import { quoteIdent } from '../sql/quote.js';
import { type SealedColumn, type SecretBox, sealContext } from './secret-box.js';

interface SealedColumnLocation {
  readonly column: SealedColumn;
  /** The column holding the owning organization's id (`id` for the organization's own row). */
  readonly organizationColumn: string;
}

/** Every sealed secret the product stores. A new sealed column is added here and in `SealedColumn`. */
export const SEALED_COLUMNS: readonly SealedColumnLocation[] = [
  { column: 'organizations.hmac_key_sealed', organizationColumn: 'id' },
  { column: 'stripe_connections.secret_key_sealed', organizationColumn: 'organization_id' },
  { column: 'stripe_connections.webhook_secret_sealed', organizationColumn: 'organization_id' },
  { column: 'ui_sessions.api_key_sealed', organizationColumn: 'organization_id' },
];

export interface RotationReport {
  /** Re-sealed under the current key (they were under a previous key or in the previous format). */
  readonly resealed: number;
  /** Already sealed with the current key. */
  readonly current: number;
  /** Changed by someone else between our read and our write; they were sealed again by that writer. */
  readonly changedMeanwhile: number;
  /** Still not under the current key after the pass (should be 0; non-zero means a process still seals with an old key). */
  readonly remaining: number;
  readonly byColumn: Readonly<Record<string, { resealed: number; current: number }>>;
}

const PAGE = 200;

/**
 * Re-seals every secret under the box's current key, bound to its row (decision 0304). The box must
 * still accept the keys the secrets were sealed with (`ENCRYPTION_KEY_PREVIOUS`). Each row is
 * written with a compare-and-set on the value read, so a concurrent write (an HMAC key rotation, a
 * connection update) wins over the re-seal. Run it again safely: current values are left alone.
 */
export async function rotateSecrets(orm: MikroORM, schema: string, box: SecretBox): Promise<RotationReport> {
  const s = quoteIdent(schema);
  const em = orm.em.fork();
  let resealed = 0;
  let current = 0;
  let changedMeanwhile = 0;
  const byColumn: Record<string, { resealed: number; current: number }> = {};
  for (const { column: qualified, organizationColumn } of SEALED_COLUMNS) {
    const [table = '', column = ''] = qualified.split('.');
    const counts = { resealed: 0, current: 0 };
    byColumn[qualified] = counts;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; organization_id: string; sealed: string }[] = await em.execute(
        `select "id", ${quoteIdent(organizationColumn)} as organization_id, ${quoteIdent(column)} as sealed
           from ${s}.${quoteIdent(table)} where "id" > ? order by "id" limit ${PAGE}`,
        [after],
      );
      for (const row of rows) {
        if (box.isCurrent(row.sealed)) {
          counts.current += 1;
          continue;
        }
        const context = sealContext(qualified, row.organization_id, row.id);
        let plaintext: string;
        try {
          plaintext = box.open(row.sealed, context);
        } catch (error) {
          throw new Error(`${qualified} of row ${row.id} does not open: ${(error as Error).message}`);
        }
        const next = box.seal(plaintext, context);
        const result = await em.execute<{ affectedRows: number }>(
          `update ${s}.${quoteIdent(table)} set ${quoteIdent(column)} = ? where "id" = ? and ${quoteIdent(column)} = ?`,
          [next, row.id, row.sealed],
          'run',
        );
        if (result.affectedRows === 1) counts.resealed += 1;
        else changedMeanwhile += 1;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]?.id ?? after;
    }
    resealed += counts.resealed;
    current += counts.current;
  }
  return {
    resealed,
    current,
    changedMeanwhile,
    remaining: await countNotCurrent(orm, schema, box),
    byColumn,
  };
}

/** How many sealed secrets are not under the box's current key. */
export async function countNotCurrent(orm: MikroORM, schema: string, box: SecretBox): Promise<number> {
  const s = quoteIdent(schema);
  // Not LIKE: a key id may contain `_`.
  const prefix = `v2:${box.keyId}:`;
  let n = 0;
  for (const { column: qualified } of SEALED_COLUMNS) {
    const [table = '', column = ''] = qualified.split('.');
    const rows: { n: string | number }[] = await orm.em
      .fork()
      .execute(
        `select count(*) as n from ${s}.${quoteIdent(table)} where left(${quoteIdent(column)}, ?) <> ?`,
        [prefix.length, prefix],
      );
    n += Number(rows[0]?.n ?? 0);
  }
  return n;
}
