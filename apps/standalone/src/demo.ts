import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bootstrapOrganization } from '@payrail/api';
import type { Database } from '@payrail/persistence';

/** The demo organization the start command creates on first run, kept beside the embedded data. */
export interface DemoState {
  readonly organizationId: string;
  readonly organizationName: string;
  /** Local development only: the embedded data directory is the operator's own machine. */
  readonly apiKey: string;
  readonly stripeConnectionCode: string;
}

export const DEMO_CONNECTION_CODE = 'stripe_demo';

export async function readDemoState(path: string): Promise<DemoState | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DemoState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Creates the demo organization and, through the public API as any user would, a Stripe connection
 * to the emulator. The API key is written to `path` (mode 0600) so later starts can print it.
 */
export async function createDemo(database: Database, apiUrl: string, path: string): Promise<DemoState> {
  const org = await bootstrapOrganization(database.organizations, { name: 'Demo Company' });
  const response = await fetch(`${apiUrl}/api/v1/stripe_connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      stripe_connection: {
        name: 'Stripe (emulator)',
        code: DEMO_CONNECTION_CODE,
        // Any sk_test_ key opens a fresh account on the emulator.
        secret_key: `sk_test_demo_${randomBytes(12).toString('hex')}`,
        success_redirect_url: null,
      },
    }),
  });
  if (!response.ok) {
    throw new Error(`could not connect the demo Stripe account: ${response.status} ${await response.text()}`);
  }
  const state: DemoState = {
    organizationId: org.organizationId,
    organizationName: org.name,
    apiKey: org.apiKey,
    stripeConnectionCode: DEMO_CONNECTION_CODE,
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return state;
}
