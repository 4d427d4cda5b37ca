import type { JsonLogger } from '@payrail/persistence';
import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from './types.js';

/** One JSON line per request. Only the method, path, status and ids: never headers or bodies. */
export function accessLog(logger: JsonLogger) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const entry = {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round(performance.now() - started),
      organization_id: c.get('organizationId') ?? null,
    };
    if (status >= 500) logger.error('request failed', entry);
    else logger.info('request', entry);
  });
}
