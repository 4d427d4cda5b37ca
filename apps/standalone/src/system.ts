import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApiApp } from '@payrail/api';
import { createWebhooksApp } from '@payrail/webhooks';

export interface SystemOptions {
  readonly host: string;
  readonly apiPort: number;
  readonly webhooksPort: number;
}

export interface RunningSystem {
  readonly apiUrl: string;
  readonly webhooksUrl: string;
  stop(): Promise<void>;
}

type Server = ReturnType<typeof serve>;

function listen(fetch: (req: Request) => Response | Promise<Response>, host: string, port: number) {
  return new Promise<{ server: Server; url: string }>((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, (info: AddressInfo) => {
      resolve({ server, url: `http://${host}:${info.port}` });
    });
    server.once('error', reject);
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Every process of the product in one Node process: the embedded shape behind `scripts/start`. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const api = await listen(createApiApp({ version: '0.1.0' }).fetch, options.host, options.apiPort);
  const webhooks = await listen(createWebhooksApp().fetch, options.host, options.webhooksPort);
  return {
    apiUrl: api.url,
    webhooksUrl: webhooks.url,
    async stop() {
      await Promise.all([close(api.server), close(webhooks.server)]);
    },
  };
}
