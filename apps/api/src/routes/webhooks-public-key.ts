import { z } from '@hono/zod-openapi';
import type { ApiDeps } from '../deps.js';
import { type Route, route } from '../http/route.js';
import { errorResponses, jsonContent, security } from '../schemas/common.js';

const tags = ['Webhooks'];

export function publicKeyRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'get',
        path: '/webhooks/public_key',
        operationId: 'fetchPublicKey',
        tags,
        security,
        summary: 'RSA public key of JWT-signed webhooks (text, deprecated)',
        description: 'Base64 of the PEM, in lines of 60 characters, as Lago serves it.',
        responses: {
          200: { description: 'The key', content: { 'text/plain': { schema: z.string() } } },
          ...errorResponses(),
        },
      },
      async (c) => c.text(deps.signingKey.publicKeyBase64()),
    ),
    route(
      {
        method: 'get',
        path: '/webhooks/json_public_key',
        operationId: 'fetchJsonPublicKey',
        tags,
        security,
        summary: 'RSA public key of JWT-signed webhooks',
        responses: {
          200: jsonContent(
            z.object({ webhook: z.object({ public_key: z.string() }) }).openapi('WebhookPublicKey'),
            'The key',
          ),
          ...errorResponses(),
        },
      },
      async (c) => c.json({ webhook: { public_key: deps.signingKey.publicKeyBase64() } }),
    ),
  ];
}
