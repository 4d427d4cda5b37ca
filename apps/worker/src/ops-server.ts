import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer, type Metrics } from '@payrail/persistence';

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  /** True while the database answers. */
  readonly ready: () => Promise<boolean>;
  readonly metrics: Metrics;
}

export interface RunningOpsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The worker's own small HTTP server: `/health` (the process runs), `/ready` (it can reach
 * PostgreSQL, 503 otherwise) and `/metrics` (Prometheus text). Nothing else listens in a worker.
 */
export function startOpsServer(options: OpsServerOptions): Promise<RunningOpsServer> {
  const { metrics, ready } = options;
  const server: Server = createServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type }).end(body);
      const route = ['/health', '/ready', '/metrics'].includes(path ?? '') ? (path as string) : 'unmatched';
      metrics.observeRequest(route, req.method ?? 'GET', status, (performance.now() - started) / 1000);
    };
    if (req.method !== 'GET')
      return answer(405, JSON.stringify({ status: 405, error: 'Method Not Allowed' }));
    if (path === '/health') return answer(200, JSON.stringify({ status: 'ok' }));
    if (path === '/ready') {
      void ready()
        .catch(() => false)
        .then((ok) =>
          answer(
            ok ? 200 : 503,
            JSON.stringify({ status: ok ? 'ready' : 'not_ready', checks: { database: ok } }),
          ),
        );
      return;
    }
    if (path === '/metrics') {
      void metrics.text().then(
        (text) => answer(200, text, metrics.contentType),
        (error: Error) => answer(500, JSON.stringify({ status: 500, error: error.message })),
      );
      return;
    }
    return answer(404, JSON.stringify({ status: 404, error: 'Not Found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host}:${port}`,
        close: () => closeHttpServer(server, 2_000),
      });
    });
  });
}
