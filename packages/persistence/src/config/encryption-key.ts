import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SecretBox } from '../crypto/secret-box.js';

export interface EncryptionKeySource {
  /** `ENCRYPTION_KEY`: 64 hex characters or 32 bytes in base64. */
  readonly value?: string | undefined;
  /**
   * `ENCRYPTION_KEY_PREVIOUS`: keys still accepted for opening (comma-separated), while the rotation
   * command re-seals what they sealed under `value`.
   */
  readonly previous?: string | undefined;
  /** In production a missing key is a start-up error, never a generated one. */
  readonly production: boolean;
  /**
   * Where the embedded shape keeps a generated key, so secrets sealed before a restart still open
   * after it. Without a file (tests, in-memory databases) the key lives as long as the process.
   */
  readonly keyFile?: string | undefined;
}

export async function loadSecretBox(source: EncryptionKeySource): Promise<SecretBox> {
  if (source.value !== undefined && source.value !== '') {
    try {
      SecretBox.fromEnv(source.value);
    } catch {
      throw new Error('ENCRYPTION_KEY must be 32 bytes: 64 hex characters or 44 base64 characters');
    }
    try {
      return SecretBox.fromEnv(source.value, source.previous);
    } catch {
      throw new Error(
        'ENCRYPTION_KEY_PREVIOUS must be comma-separated 32-byte keys (64 hex or 44 base64 characters each)',
      );
    }
  }
  if (source.production) {
    throw new Error(
      'ENCRYPTION_KEY is required in production (64 hex characters, e.g. `openssl rand -hex 32`)',
    );
  }
  if (source.keyFile === undefined) return new SecretBox(randomBytes(32));
  return SecretBox.fromEnv(await readOrCreateKeyFile(source.keyFile), source.previous);
}

async function readOrCreateKeyFile(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  const key = randomBytes(32).toString('hex');
  // `wx` refuses to overwrite a key another process wrote meanwhile; that key then wins.
  try {
    await writeFile(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(path, 'utf8')).trim();
  }
}
