import { z } from '@hono/zod-openapi';
import { createCreditNote, notFound, voidCreditNote } from '@payrail/domain';
import { CreditNoteCreateInput, CreditNoteListQuery, CreditNoteSchema } from '@payrail/lago-wire';
import type { Context } from 'hono';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../http/api-error.js';
import { type Route, route, writtenId } from '../http/route.js';
import type { ApiEnv } from '../http/types.js';
import { runUseCase } from '../http/use-case.js';
import { parseEnvelope, parseQuery } from '../http/validation.js';
import {
  errorResponses,
  isUuid,
  jsonBodyDoc,
  jsonContent,
  lagoIdParam,
  PaginationQuery,
  paginated,
  security,
  single,
} from '../schemas/common.js';
import { type ListScope, renderList } from '../views/list-page.js';
import { withRenderer } from '../views/renderer.js';

const tags = ['Credit notes'];

/** Shared by the organization-wide list and the customer-scoped one. */
export function listCreditNotes(deps: ApiDeps, c: Context<ApiEnv>, scope: ListScope): Promise<Response> {
  return renderList(deps, c, scope, {
    key: 'credit_notes',
    filter: (url) => parseQuery(url, CreditNoteListQuery),
    load: (organizationId, filter, page) => deps.lists.creditNotes(organizationId, filter, page),
    render: (note, render) => render.creditNote(note),
  });
}

export function creditNoteRoutes(deps: ApiDeps): Route[] {
  return [
    route(
      {
        method: 'post',
        path: '/credit_notes',
        operationId: 'createCreditNote',
        tags,
        security,
        summary: 'Create a credit note',
        description:
          'Credit, refund and offset amounts must add up to the items. A refund needs a paid invoice and goes back through Stripe.',
        request: { body: jsonBodyDoc(z.object({ credit_note: CreditNoteCreateInput })) },
        responses: {
          200: jsonContent(single('credit_note', CreditNoteSchema), 'The credit note'),
          ...errorResponses(400, 404, 405, 422),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const body = parseEnvelope(c.get('rawBody'), 'credit_note', CreditNoteCreateInput);
        if (!isUuid(body.invoiceId)) throw ApiError.fromDomain(notFound('invoice'));
        if (!body.items.every((item) => isUuid(item.feeId))) throw ApiError.fromDomain(notFound('fee'));
        const note = await runUseCase(createCreditNote, ctx, { organizationId, ...body });
        const wire = await withRenderer(deps.reads, c, (_tx, render) => render.creditNote(note));
        return c.json({ credit_note: wire });
      },
      async (c, written) => {
        const id = writtenId(written, 'creditNotes');
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const note = await tx.creditNotes.findById(id);
          if (!note) throw ApiError.fromDomain(notFound('credit_note'));
          return render.creditNote(note);
        });
        return c.json({ credit_note: wire });
      },
    ),
    route(
      {
        method: 'get',
        path: '/credit_notes',
        operationId: 'findAllCreditNotes',
        tags,
        security,
        summary: 'List credit notes',
        request: { query: PaginationQuery.extend(CreditNoteListQuery.in.shape) },
        responses: {
          200: jsonContent(paginated('credit_notes', CreditNoteSchema), 'Credit notes'),
          ...errorResponses(422),
        },
      },
      (c) => listCreditNotes(deps, c, {}),
    ),
    route(
      {
        method: 'get',
        path: '/credit_notes/{lago_id}',
        operationId: 'findCreditNote',
        tags,
        security,
        summary: 'Retrieve a credit note',
        request: { params: z.object({ lago_id: z.uuid() }) },
        responses: {
          200: jsonContent(single('credit_note', CreditNoteSchema), 'The credit note'),
          ...errorResponses(404),
        },
      },
      async (c) => {
        const organizationId = c.get('organizationId');
        const id = lagoIdParam(c.req.param('lago_id'), 'credit_note');
        const wire = await withRenderer(deps.reads, c, async (tx, render) => {
          const note = await tx.creditNotes.findById(id);
          if (!note || note.organizationId !== organizationId)
            throw ApiError.fromDomain(notFound('credit_note'));
          return render.creditNote(note);
        });
        return c.json({ credit_note: wire });
      },
    ),
    route(
      {
        method: 'put',
        path: '/credit_notes/{lago_id}/void',
        operationId: 'voidCreditNote',
        tags,
        security,
        summary: 'Void the remaining credit of a credit note',
        description:
          'The balance drops to 0 and `credit_status` becomes `voided`. A refund already sent is not taken back. 405 `no_voidable_amount` when nothing remains or the note is already voided. No body.',
        request: { params: z.object({ lago_id: z.uuid() }) },
        responses: {
          200: jsonContent(single('credit_note', CreditNoteSchema), 'The voided credit note'),
          ...errorResponses(404, 405),
        },
      },
      async (c, ctx) => {
        const organizationId = c.get('organizationId');
        const id = lagoIdParam(c.req.param('lago_id'), 'credit_note');
        const note = await runUseCase(voidCreditNote, ctx, { organizationId, creditNoteId: id });
        const wire = await withRenderer(deps.reads, c, (_tx, render) => render.creditNote(note));
        return c.json({ credit_note: wire });
      },
    ),
  ];
}
