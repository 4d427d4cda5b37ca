import { Hono } from 'hono';

export interface ApiInfo {
  readonly version: string;
}

/** The HTTP API. Resources are mounted under /api/v1 as they are built. */
export function createApiApp(info: ApiInfo): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok', version: info.version }));
  return app;
}
