import { z } from '@hono/zod-openapi';
import { createAddOn, deleteAddOn, notFound, updateAddOn } from '@payrail/domain';
import {
  AddOnCreateInput,
  AddOnSchema,
  AddOnUpdateInput,
  paginationMeta,
  serializeAddOn,
} from '@payrail/lago-wire';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route, writtenId } from '../http/route.js';
import { runUseCase } from '../http/use-case.js';
import { parseEnvelope } from '../http/validation.js';
import {
  errorResponses,
  jsonBodyDoc,
  jsonContent,
  keyParam,
  PaginationQuery,
  pageOf,
  paginated,
  security,
  single,
} from '../schemas/common.js';

const tags = ['Add-ons'];
const CodeParam = z.object({ code: z.string() });
const envelope = <T extends z.ZodType>(schema: T) => z.object({ add_on: schema });

export function addOnRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/add_ons',
        operationId: 'createAddOn',
        tags,
        security,
        summary: 'Create an add-on',
        request: { body: jsonBodyDoc(envelope(AddOnCreateInput)) },
        responses: {
          200: jsonContent(single('add_on', AddOnSchema), 'The add-on'),
          ...errorResponses(400, 422),
        },
      },
      async (c, ctx) => {
        const body = parseEnvelope(c.get('rawBody'), 'add_on', AddOnCreateInput);
        const addOn = await runUseCase(createAddOn, ctx, {
          organizationId: c.get('organizationId'),
          ...body,
        });
        return c.json({ add_on: serializeAddOn(addOn) });
      },
      async (c, written) => {
        const id = writtenId(written, 'addOns');
        const addOn = await deps.reads.read(c.get('organizationId'), (tx) => tx.addOns.findById(id));
        if (!addOn) throw ApiError.fromDomain(notFound('add_on'));
        return c.json({ add_on: serializeAddOn(addOn) });
      },
    ),
    route(
      {
        method: 'get',
        path: '/add_ons',
        operationId: 'findAllAddOns',
        tags,
        security,
        summary: 'List add-ons',
        request: { query: PaginationQuery },
        responses: { 200: jsonContent(paginated('add_ons', AddOnSchema), 'Add-ons'), ...errorResponses() },
      },
      async (c) => {
        const page = pageOf(c.req.url);
        const result = await deps.lists.addOns(c.get('organizationId'), page);
        return c.json({
          add_ons: result.items.map(serializeAddOn),
          meta: paginationMeta(page, result.totalCount),
        });
      },
    ),
    route(
      {
        method: 'get',
        path: '/add_ons/{code}',
        operationId: 'findAddOn',
        tags,
        security,
        summary: 'Retrieve an add-on',
        request: { params: CodeParam },
        responses: { 200: jsonContent(single('add_on', AddOnSchema), 'The add-on'), ...errorResponses(404) },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const code = keyParam(c.req.param('code'), 'add_on');
        const addOn = await deps.reads.read(organizationId, (tx) =>
          tx.addOns.findByCode(organizationId, code),
        );
        if (!addOn || addOn.organizationId !== organizationId || addOn.deletedAt) {
          throw ApiError.fromDomain(notFound('add_on'));
        }
        return c.json({ add_on: serializeAddOn(addOn) });
      },
    ),
    route(
      {
        method: 'put',
        path: '/add_ons/{code}',
        operationId: 'updateAddOn',
        tags,
        security,
        summary: 'Update an add-on',
        request: { params: CodeParam, body: jsonBodyDoc(envelope(AddOnUpdateInput)) },
        responses: {
          200: jsonContent(single('add_on', AddOnSchema), 'The add-on'),
          ...errorResponses(400, 404, 422),
        },
      },
      async (c, ctx) => {
        const code = keyParam(c.req.param('code'), 'add_on');
        const body = parseEnvelope(c.get('rawBody'), 'add_on', AddOnUpdateInput);
        const addOn = await runUseCase(updateAddOn, ctx, {
          organizationId: c.get('organizationId'),
          code,
          ...body,
        });
        return c.json({ add_on: serializeAddOn(addOn) });
      },
    ),
    route(
      {
        method: 'delete',
        path: '/add_ons/{code}',
        operationId: 'destroyAddOn',
        tags,
        security,
        summary: 'Delete an add-on',
        request: { params: CodeParam },
        responses: {
          200: jsonContent(single('add_on', AddOnSchema), 'The deleted add-on'),
          ...errorResponses(404),
        },
      },
      async (c, ctx) => {
        const code = keyParam(c.req.param('code'), 'add_on');
        const addOn = await runUseCase(deleteAddOn, ctx, {
          organizationId: c.get('organizationId'),
          code,
        });
        return c.json({ add_on: serializeAddOn(addOn) });
      },
    ),
  ];
}
