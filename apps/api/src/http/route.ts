import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorResponses } from '../schemas/common.js';
import type { ApiEnv } from './types.js';

export type Handler = (c: Context<ApiEnv>) => Promise<Response>;

export interface Route {
  readonly config: RouteConfig;
  readonly handler: Handler;
}

/** `/customers/{external_id}` → `/customers/:external_id`. */
export function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * The route's `createRoute` config documents it in OpenAPI; the handler parses its own input so
 * that every refusal takes Lago's shape (a non-UUID id is a 404, a missing root key a 400).
 */
export function mountRoutes(app: OpenAPIHono<ApiEnv>, routes: readonly Route[]): void {
  for (const route of routes) {
    app.openAPIRegistry.registerPath(withEdgeResponses(route.config));
    app.on(route.config.method.toUpperCase(), honoPath(route.config.path), route.handler);
  }
}

/**
 * What the shared edge may answer on any write, before the route runs: 400 for a body that is not
 * JSON, 409 while an earlier request with the same Idempotency-Key is still running.
 */
function withEdgeResponses(config: RouteConfig): RouteConfig {
  if (config.method === 'get') return config;
  return { ...config, responses: { ...errorResponses(400, 409), ...config.responses } };
}

export function route(config: RouteConfig, handler: Handler): Route {
  return { config, handler };
}

/** Lago's `head :ok`: 200 with no body. */
export function emptyOk(): Response {
  return new Response(null, { status: 200 });
}
