import type { Metrics } from './metrics.js';

/** The parts of a Hono context the middleware reads (kept structural: persistence has no Hono). */
interface RequestContext {
  readonly req: { readonly method: string };
  readonly res: { readonly status: number };
}

/**
 * The route template a request matched (`/api/v1/customers/:external_customer_id`, never the raw
 * path, so ids do not become series), from Hono's `matchedRoutes(c)`: the last route that is not a
 * middleware (`ALL`). Unmatched paths share one label, so a scanner cannot create a series per URL.
 */
export function routeTemplate(
  matched: readonly { readonly method: string; readonly path: string }[],
): string {
  for (let i = matched.length - 1; i >= 0; i--) {
    const route = matched[i];
    if (route !== undefined && route.method !== 'ALL') return route.path;
  }
  return 'unmatched';
}

/**
 * Hono middleware counting every answered request by route template, method and status, with
 * its latency. `routeOf` is `(c) => routeTemplate(matchedRoutes(c))` with `hono/route`.
 */
export function httpMetrics<C extends RequestContext>(metrics: Metrics, routeOf: (c: C) => string) {
  return async (c: C, next: () => Promise<void>): Promise<void> => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.observeRequest(routeOf(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
    }
  };
}
