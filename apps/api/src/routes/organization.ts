import { z } from '@hono/zod-openapi';
import { notFound } from '@payrail/domain';
import { OrganizationSchema, OrganizationUpdateInput, serializeOrganization } from '@payrail/lago-wire';
import { MAX_WEBHOOK_ENDPOINTS } from '@payrail/persistence';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route } from '../http/route.js';
import { parseEnvelope } from '../http/validation.js';
import { errorResponses, jsonBodyDoc, jsonContent, security, single } from '../schemas/common.js';
import { endpointOrThrow, refuseForbiddenTarget } from './webhook-endpoints.js';

const tags = ['Organization'];

async function render(deps: ApiDeps, organizationId: string) {
  const organization = await deps.reads.read(organizationId, (tx) =>
    tx.organizations.findById(organizationId),
  );
  if (!organization) throw ApiError.fromDomain(notFound('organization'));
  const endpoints = await deps.webhookEndpoints.list(organizationId, {
    page: 1,
    perPage: MAX_WEBHOOK_ENDPOINTS,
  });
  return serializeOrganization(organization, { webhookUrls: endpoints.items.map((e) => e.webhookUrl) });
}

const HmacKeySchema = z.object({ hmac_key: z.string() }).openapi('OrganizationHmacKey');

export function organizationRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'get',
        path: '/organizations',
        operationId: 'findOrganization',
        tags,
        security,
        summary: 'Retrieve the organization of the API key',
        responses: {
          200: jsonContent(single('organization', OrganizationSchema), 'The organization'),
          ...errorResponses(),
        },
      },
      async (c) => c.json({ organization: await render(deps, c.get('organizationId')) }),
    ),
    route(
      {
        method: 'put',
        path: '/organizations',
        operationId: 'updateOrganization',
        tags,
        security,
        summary: 'Update the organization',
        request: { body: jsonBodyDoc(z.object({ organization: OrganizationUpdateInput })) },
        responses: {
          200: jsonContent(single('organization', OrganizationSchema), 'The organization'),
          ...errorResponses(400, 422),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const body = parseEnvelope(c.get('rawBody'), 'organization', OrganizationUpdateInput);
        if (body.webhookUrl !== undefined) {
          await refuseForbiddenTarget(deps, body.webhookUrl);
          endpointOrThrow(await deps.webhookEndpoints.upsertFirst(organizationId, body.webhookUrl));
        }
        return c.json({ organization: await render(deps, organizationId) });
      },
    ),
    route(
      {
        method: 'get',
        path: '/organizations/hmac_key',
        operationId: 'findOrganizationHmacKey',
        tags,
        security,
        summary: 'The HMAC key that signs webhooks of `hmac` endpoints (Payrail extension)',
        responses: { 200: jsonContent(HmacKeySchema, 'The key'), ...errorResponses() },
      },
      async (c) => {
        const key = await deps.organizationSecrets.hmacKey(c.get('organizationId'));
        if (!key) throw ApiError.fromDomain(notFound('organization'));
        return c.json({ hmac_key: key });
      },
    ),
    route(
      {
        method: 'post',
        path: '/organizations/hmac_key/rotate',
        operationId: 'rotateOrganizationHmacKey',
        tags,
        security,
        summary: 'Replace the HMAC webhook key (Payrail extension)',
        description: 'Webhooks sent after the rotation are signed with the new key.',
        responses: { 200: jsonContent(HmacKeySchema, 'The new key'), ...errorResponses() },
      },
      async (c) => {
        const key = await deps.organizationSecrets.rotateHmacKey(c.get('organizationId'));
        return c.json({ hmac_key: key });
      },
    ),
  ];
}
