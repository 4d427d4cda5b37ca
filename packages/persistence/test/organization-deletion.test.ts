import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { finalizedInvoice, insertAddOn, seedWorld, type World } from './fixtures.js';

let db: TestDatabase;
let world: World;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'orgdel' });
  world = await seedWorld(db);
  await db.unitOfWork.run(world.org.id, async (tx) => {
    const addOn = await insertAddOn(tx, world.org.id);
    // Neither payment nor fee: a payment's restrict on its invoice and a fee's on its add-on would
    // stop the cascade by accident, so the organization's own foreign keys are what is tested.
    await tx.invoices.insert({ ...finalizedInvoice(world, addOn, 1), fees: [] });
  });
});
afterAll(() => db?.dispose());

const TABLES = [
  'organizations',
  'customers',
  'invoices',
  'fees',
  'payments',
  'stripe_connections',
  'api_keys',
];

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const where =
      table === 'organizations' ? 'id = ?' : table === 'fees' ? '? is not null' : 'organization_id = ?';
    const rows: { n: string | number }[] = await db.orm.em
      .fork()
      .execute(`select count(*) as n from "${db.schema}"."${table}" where ${where}`, [world.org.id]);
    out[table] = Number(rows[0]?.n);
  }
  return out;
}

describe('deleting an organization', () => {
  it('is refused by the database while it has invoices, and deletes nothing', async () => {
    await db.organizations.createApiKey(world.org.id, 'ci');
    const before = await counts();
    expect(before.invoices).toBe(1);

    await expect(
      db.orm.em.fork().execute(`delete from "${db.schema}"."organizations" where id = ?`, [world.org.id]),
    ).rejects.toThrow(/foreign key/);

    expect(await counts()).toEqual(before);
  });

  it('declares restrict in the entity definitions, as the migration does', async () => {
    const rows: { table_name: string; delete_rule: string }[] = await db.orm.em.fork().execute(
      `select tc.table_name, rc.delete_rule
         from information_schema.referential_constraints rc
         join information_schema.table_constraints tc
           on tc.constraint_name = rc.constraint_name and tc.constraint_schema = rc.constraint_schema
         join information_schema.constraint_column_usage ccu
           on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema
        where rc.constraint_schema = ? and ccu.table_name = 'organizations'`,
      [db.schema],
    );
    const inDatabase = Object.fromEntries(rows.map((r) => [r.table_name, r.delete_rule.toLowerCase()]));
    const inEntities: Record<string, string> = {};
    for (const meta of Object.values(db.orm.getMetadata().getAll())) {
      for (const prop of Object.values(meta.properties)) {
        if (prop.kind === 'm:1' && prop.targetMeta?.tableName === 'organizations') {
          inEntities[meta.tableName] = String(prop.deleteRule);
        }
      }
    }
    expect(inEntities).toEqual(inDatabase);
    for (const table of ['customers', 'invoices', 'payments', 'credit_notes', 'manual_payments']) {
      expect(inDatabase[table], table).toBe('restrict');
    }
  });
});
