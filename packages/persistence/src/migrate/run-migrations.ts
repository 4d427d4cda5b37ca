import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../orm/orm-config.js';

export interface MigrateOptions {
  readonly url: string;
  readonly schema?: string;
}

/** Applies pending migrations and returns the names it ran. Safe to call on every start. */
export async function runMigrations(options: MigrateOptions): Promise<string[]> {
  const orm = await MikroORM.init(
    ormConfig({ url: options.url, schema: options.schema ?? 'public', poolMax: 1 }),
  );
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
