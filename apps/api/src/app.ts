import { OpenAPIHono } from '@hono/zod-openapi';
import { httpMetrics, routeTemplate } from '@payrail/persistence';
import { createUiApp } from '@payrail/web-ui';
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ApiDeps } from './deps.js';
import { accessLog } from './http/access-log.js';
import { requireApiKey } from './http/auth.js';
import { limitBody, readRawBody } from './http/body.js';
import { docsPage } from './http/docs-page.js';
import { idempotency } from './http/idempotency.js';
import { notFoundRoute, onError } from './http/on-error.js';
import { requestId } from './http/request-id.js';
import { mountRoutes, type Route } from './http/route.js';
import type { ApiEnv } from './http/types.js';
import { addOnRoutes } from './routes/add-ons.js';
import { creditNoteRoutes } from './routes/credit-notes.js';
import { customerListRoutes } from './routes/customer-lists.js';
import { customerRoutes } from './routes/customers.js';
import { invoiceRoutes } from './routes/invoices.js';
import { organizationRoutes } from './routes/organization.js';
import { paymentRequestRoutes } from './routes/payment-requests.js';
import { paymentRoutes } from './routes/payments.js';
import { stripeConnectionRoutes } from './routes/stripe-connections.js';
import { webhookDeliveryRoutes } from './routes/webhook-deliveries.js';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js';
import { publicKeyRoutes } from './routes/webhooks-public-key.js';

export const API_PREFIX = '/api/v1';

/** Every `/api/v1` route on `deps`, in the order they appear in the OpenAPI document. */
export function apiRoutes(deps: ApiDeps): readonly Route[] {
  return [
    ...stripeConnectionRoutes(deps),
    ...customerRoutes(deps),
    ...customerListRoutes(deps),
    ...addOnRoutes(deps),
    ...invoiceRoutes(deps),
    ...paymentRoutes(deps),
    ...paymentRequestRoutes(deps),
    ...creditNoteRoutes(deps),
    ...webhookEndpointRoutes(deps),
    ...webhookDeliveryRoutes(deps),
    ...publicKeyRoutes(deps),
    ...organizationRoutes(deps),
  ];
}

function v1(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The organization API key printed by the bootstrap command.',
  });
  // Registered before the auth middleware: the document is public.
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Payrail API',
      version: deps.version,
      description:
        "Lago REST API v1 for Stripe payment collection (customers, add-ons, one-off invoices, payments, credit notes, webhook endpoints), plus Payrail's Stripe connections. Errors use Lago's bodies; success is always 200.",
    },
    servers: [{ url: API_PREFIX }],
    security: [{ bearerAuth: [] }],
  });
  // The key is checked from the header alone, so a caller without one never has its body read;
  // the limit then comes before the first middleware that reads it.
  api.use('*', requireApiKey(deps.apiKeys));
  api.use('*', limitBody);
  api.use('*', readRawBody);
  api.use('*', idempotency(deps));
  mountRoutes(api, apiRoutes(deps), deps.ctx);
  api.onError(onError(deps.logger));
  return api;
}

/** The HTTP API: `/health`, `/ready`, `/metrics`, `/docs` and Lago's REST API v1 under `/api/v1`. */
export function createApiApp(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>();
  const { metrics } = deps;
  if (metrics) {
    app.use(
      '*',
      httpMetrics(metrics, (c: Context) => routeTemplate(matchedRoutes(c))),
    );
    app.get('/metrics', async (c) =>
      c.body(await metrics.text(), 200, { 'content-type': metrics.contentType }),
    );
  }
  app.use('*', requestId);
  app.use('*', accessLog(deps.logger));
  app.get('/health', (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/ready', async (c) => {
    const result = await deps.readiness.check().catch(() => ({ ok: false, checks: { database: false } }));
    return c.json(
      { status: result.ok ? 'ready' : 'not_ready', checks: result.checks },
      result.ok ? 200 : 503,
    );
  });
  app.get('/docs', (c) => c.html(docsPage(`${API_PREFIX}/openapi.json`)));
  app.route(API_PREFIX, v1(deps));
  if (deps.ui) {
    const { basePath, emulatorUrl, sessions, secureCookies } = deps.ui;
    // The UI is a client of this API, called in-process with the signed-in session's key.
    const ui = createUiApp({
      api: async (request) => app.fetch(request),
      basePath,
      sessions,
      secureCookies,
      ...(emulatorUrl ? { emulatorUrl } : {}),
    });
    app.route(basePath, ui);
    app.get('/', (c) => c.redirect(basePath));
  }
  app.notFound(notFoundRoute);
  app.onError(onError(deps.logger));
  return app;
}
