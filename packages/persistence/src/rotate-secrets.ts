/**
 * `pnpm --filter @payrail/persistence secrets:rotate`: re-seals every secret in DATABASE_URL
 * (schema DATABASE_SCHEMA, default `public`) under ENCRYPTION_KEY, opening what older keys sealed
 * with ENCRYPTION_KEY_PREVIOUS (comma-separated). Prints counts, never secrets. Exits 1 when a
 * secret is left under an old key (a process still running with the old ENCRYPTION_KEY).
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { loadSecretBox } from './config/encryption-key.js';
import { rotateSecrets } from './crypto/rotate-secrets.js';
import { ormConfig } from './orm/orm-config.js';

const url = process.env.DATABASE_URL;
if (url === undefined || url === '') {
  console.error('DATABASE_URL is not set: nothing to rotate');
  process.exit(1);
}
let box: Awaited<ReturnType<typeof loadSecretBox>>;
try {
  box = await loadSecretBox({
    value: process.env.ENCRYPTION_KEY,
    previous: process.env.ENCRYPTION_KEY_PREVIOUS,
    production: true,
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const schema = process.env.DATABASE_SCHEMA || 'public';
const orm = await MikroORM.init(ormConfig({ url, schema, poolMax: 2 }));
try {
  const report = await rotateSecrets(orm, schema, box);
  for (const [column, counts] of Object.entries(report.byColumn)) {
    console.log(`${column}: re-sealed ${counts.resealed}, already current ${counts.current}`);
  }
  console.log(
    `key ${box.keyId}: re-sealed ${report.resealed}, already current ${report.current}, changed meanwhile ${report.changedMeanwhile}, not current ${report.remaining}`,
  );
  if (report.remaining > 0) {
    console.error(
      'some secrets are still sealed with another key: restart every process with the new ENCRYPTION_KEY, then run this again',
    );
    process.exitCode = 1;
  } else {
    console.log('every secret is sealed with the current key: ENCRYPTION_KEY_PREVIOUS can be removed');
  }
} catch (error) {
  // An error opening a secret names the key id or the format, never the secret.
  console.error(`rotation stopped: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await orm.close(true);
}
