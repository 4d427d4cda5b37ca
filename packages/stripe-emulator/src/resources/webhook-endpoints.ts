/** WebhookEndpoints: the `whsec_` signing secret is shown only in the create response. */
import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { API_VERSION } from '../events.js';
import { newId, newSecret } from '../ids.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, bool, metadata, nullableStr, type Params, str, strArray } from '../params.js';
import { getWebhookEndpoint } from './lookup.js';

const EVENT_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

function readUrl(params: Params): string | undefined {
  const url = str(params, 'url');
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/i.test(url))
    throw invalidRequest(`Invalid URL: ${url}. URLs must begin with http:// or https://.`, {
      code: 'url_invalid',
      param: 'url',
    });
  return url;
}

function readEvents(params: Params): string[] | undefined {
  const events = strArray(params, 'enabled_events');
  if (events === undefined) return undefined;
  if (events.length === 0) throw parameterMissing('enabled_events');
  events.forEach((e, i) => {
    if (e !== '*' && !EVENT_NAME.test(e))
      throw invalidRequest(`Invalid enabled_events[${i}]: ${e} is not a valid event type.`, {
        code: 'parameter_invalid_string',
        param: `enabled_events[${i}]`,
      });
  });
  return events;
}

export function createWebhookEndpoint(ctx: Ctx): Reply {
  const p = ctx.params;
  allowOnly(p, ['url', 'enabled_events', 'api_version', 'description', 'metadata', 'connect']);
  const url = readUrl(p);
  if (!url) throw parameterMissing('url');
  const events = readEvents(p);
  if (!events) throw parameterMissing('enabled_events');
  const apiVersion = str(p, 'api_version') ?? null;
  if (apiVersion !== null && !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(apiVersion))
    throw invalidRequest(`Invalid api_version: ${apiVersion}`, {
      code: 'parameter_invalid_string',
      param: 'api_version',
    });
  if (bool(p, 'connect'))
    throw invalidRequest('Connect webhook endpoints are not served by the emulator.', { param: 'connect' });
  const endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: apiVersion ?? API_VERSION,
    application: null,
    created: ctx.emu.clock.now(),
    description: nullableStr(p, 'description') ?? null,
    enabled_events: events,
    livemode: false,
    metadata: metadata(p) ?? {},
    status: 'enabled',
    url,
  } satisfies Stripe.WebhookEndpoint;
  const secret = newSecret('whsec_', 32);
  ctx.account.webhookEndpoints.set(endpoint.id, endpoint);
  ctx.account.webhookSecrets.set(endpoint.id, secret);
  ctx.emu.own(ctx.account, endpoint.id);
  return { body: { ...endpoint, secret } satisfies Stripe.WebhookEndpoint };
}

export function retrieveWebhookEndpoint(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: getWebhookEndpoint(ctx, id) };
}

export function updateWebhookEndpoint(ctx: Ctx, id: string): Reply {
  const p = ctx.params;
  allowOnly(p, ['url', 'enabled_events', 'description', 'metadata', 'disabled']);
  const endpoint = getWebhookEndpoint(ctx, id);
  const url = readUrl(p);
  const events = readEvents(p);
  const description = nullableStr(p, 'description');
  const meta = metadata(p, endpoint.metadata);
  const disabled = bool(p, 'disabled');
  if (url) endpoint.url = url;
  if (events) endpoint.enabled_events = events;
  if (description !== undefined) endpoint.description = description;
  if (meta !== undefined) endpoint.metadata = meta;
  if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
  return { body: endpoint };
}

export function deleteWebhookEndpoint(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  getWebhookEndpoint(ctx, id);
  ctx.account.webhookEndpoints.delete(id);
  ctx.account.webhookSecrets.delete(id);
  return { body: { id, object: 'webhook_endpoint', deleted: true } satisfies Stripe.DeletedWebhookEndpoint };
}

export function listWebhookEndpoints(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS]);
  return {
    body: paginate(ctx.params, newestFirst(ctx.account.webhookEndpoints.values()), '/v1/webhook_endpoints'),
  };
}
