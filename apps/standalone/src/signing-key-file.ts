import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WebhookSigningKey } from '@payrail/lago-wire';

/**
 * The embedded shape keeps the generated webhook signing key beside its data, so receivers that
 * pinned the public key keep verifying after a restart. Production passes the key by environment.
 */
export async function loadOrCreateSigningKey(path: string): Promise<WebhookSigningKey> {
  try {
    return WebhookSigningKey.fromText(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = WebhookSigningKey.generate();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, key.privateKeyPem(), { mode: 0o600 });
  return key;
}
