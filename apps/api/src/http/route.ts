import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
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
    app.openAPIRegistry.registerPath(route.config);
    app.on(route.config.method.toUpperCase(), honoPath(route.config.path), route.handler);
  }
}

export function route(config: RouteConfig, handler: Handler): Route {
  return { config, handler };
}

/** Lago's `head :ok`: 200 with no body. */
export function emptyOk(): Response {
  return new Response(null, { status: 200 });
}
