import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { UseCaseContext } from '@payrail/domain';
import type { Context } from 'hono';
import type { Written } from '../ports/idempotency.js';
import { errorResponses } from '../schemas/common.js';
import type { ApiEnv } from './types.js';

/**
 * `ctx`: the use cases' context for this request; with an `Idempotency-Key` its unit of work also
 * commits the key (see the idempotency middleware). Everything else a route needs it was given when
 * it was created.
 */
export type Handler = (c: Context<ApiEnv>, ctx: UseCaseContext) => Promise<Response>;

/** Answers a retried write from what its first attempt committed, without writing again. */
export type Replay = (c: Context<ApiEnv>, written: Written) => Promise<Response>;

export interface Route {
  readonly config: RouteConfig;
  readonly handler: Handler;
  /** Every route that writes through the unit of work has one (see the idempotency middleware). */
  readonly replay?: Replay;
}

/** `/customers/{external_id}` → `/customers/:external_id`. */
export function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * The route's `createRoute` config documents it in OpenAPI; the handler parses its own input so
 * that every refusal takes Lago's shape (a non-UUID id is a 404, a missing root key a 400).
 */
export function mountRoutes(app: OpenAPIHono<ApiEnv>, routes: readonly Route[], ctx: UseCaseContext): void {
  for (const route of routes) {
    app.openAPIRegistry.registerPath(withEdgeResponses(route.config));
    const { handler, replay } = route;
    app.on(route.config.method.toUpperCase(), honoPath(route.config.path), (c) => {
      const written = c.get('replayWritten');
      if (written === undefined) {
        const uow = c.get('uow');
        return handler(c, uow === undefined ? ctx : { ...ctx, uow });
      }
      if (!replay) throw new Error(`${route.config.method} ${route.config.path} wrote but cannot replay`);
      return replay(c, written);
    });
  }
}

/**
 * What the shared edge may answer on any write, before the route runs: 400 for a body that is not
 * JSON, 409 while an earlier request with the same Idempotency-Key is still running, 413 for a body
 * above the limit.
 */
function withEdgeResponses(config: RouteConfig): RouteConfig {
  if (config.method === 'get') return config;
  return { ...config, responses: { ...errorResponses(400, 409, 413), ...config.responses } };
}

export function route(config: RouteConfig, handler: Handler, replay?: Replay): Route {
  return replay ? { config, handler, replay } : { config, handler };
}

/** The first id a request inserted (or else updated) through `repository`, e.g. `invoices`. */
export function writtenId(written: Written, repository: string): string {
  const id = written.inserted[repository]?.[0] ?? written.updated[repository]?.[0];
  if (id === undefined) throw new Error(`the committed request wrote no ${repository}`);
  return id;
}

/** Lago's `head :ok`: 200 with no body. */
export function emptyOk(): Response {
  return new Response(null, { status: 200 });
}
