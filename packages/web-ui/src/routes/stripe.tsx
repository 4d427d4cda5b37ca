import type { WireStripeConnection as StripeConnection } from '@payrail/lago-wire';
import { Hono } from 'hono';
import { describeApiError } from '../http/describe-error.js';
import { type FormFields, field, type UiEnv } from '../http/env.js';
import { ProblemPage } from '../pages/problem.js';
import {
  type ConnectionDraft,
  EditStripePage,
  IntegrationsPage,
  NewStripePage,
  StripeListPage,
} from '../pages/stripe.js';
import { done, refused, signedOut } from './guard.js';

const LIST = '/settings/integrations/stripe';

type One = { stripe_connection: StripeConnection };
type Many = { stripe_connections: StripeConnection[] };

function draftOf(form: FormFields): ConnectionDraft {
  return {
    name: field(form, 'name'),
    code: field(form, 'code'),
    success_redirect_url: field(form, 'success_redirect_url'),
  };
}

export function stripeRoutes(emulatorUrl: string | undefined) {
  const app = new Hono<UiEnv>();

  app.get('/settings', (c) => c.redirect(`${c.get('view').base}/settings/integrations`, 303));

  app.get('/settings/integrations', async (c) => {
    const res = await c.get('client').get<Many>('/stripe_connections', { per_page: 100 });
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title={describeApiError(res.error).join(' ')} />, 502)
      );
    return c.html(<IntegrationsPage view={c.get('view')} stripeCount={res.data.stripe_connections.length} />);
  });

  app.get(LIST, async (c) => {
    const res = await c.get('client').get<Many>('/stripe_connections', { per_page: 100 });
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title={describeApiError(res.error).join(' ')} />, 502)
      );
    return c.html(
      <StripeListPage
        view={c.get('view')}
        connections={res.data.stripe_connections}
        emulatorUrl={emulatorUrl}
      />,
    );
  });

  app.get(`${LIST}/new`, (c) => c.html(<NewStripePage view={c.get('view')} />));

  app.post(LIST, async (c) => {
    const form = c.get('form');
    const draft = draftOf(form);
    const res = await c.get('client').post<One>('/stripe_connections', {
      stripe_connection: {
        name: draft.name,
        code: draft.code,
        secret_key: field(form, 'secret_key'),
        ...(draft.success_redirect_url ? { success_redirect_url: draft.success_redirect_url } : {}),
      },
    });
    if (!res.ok) {
      const out = res.error.error === 'Unauthorized' ? signedOut(c, res.error) : null;
      // The key is never echoed back into the form, even after a refusal.
      return (
        out ??
        c.html(<NewStripePage view={c.get('view')} draft={draft} errors={describeApiError(res.error)} />, 422)
      );
    }
    return done(c, LIST, `Connected to Stripe as “${res.data.stripe_connection.name}”.`);
  });

  app.get(`${LIST}/:id`, async (c) => {
    const res = await c
      .get('client')
      .get<One>(`/stripe_connections/${encodeURIComponent(c.req.param('id'))}`);
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title="Connection not found" />, 404)
      );
    return c.html(<EditStripePage view={c.get('view')} connection={res.data.stripe_connection} />);
  });

  app.post(`${LIST}/:id`, async (c) => {
    const id = encodeURIComponent(c.req.param('id'));
    const form = c.get('form');
    const draft = draftOf(form);
    const remove = field(form, 'remove_redirect_url') === '1';
    const client = c.get('client');
    const res = await client.put<One>(`/stripe_connections/${id}`, {
      stripe_connection: {
        name: draft.name,
        code: draft.code,
        success_redirect_url: remove || !draft.success_redirect_url ? null : draft.success_redirect_url,
      },
    });
    if (!res.ok) {
      const out = signedOut(c, res.error);
      if (out) return out;
      const current = await client.get<One>(`/stripe_connections/${id}`);
      if (!current.ok) return refused(c, LIST, describeApiError(res.error).join(' '));
      return c.html(
        <EditStripePage
          view={c.get('view')}
          connection={current.data.stripe_connection}
          draft={draft}
          errors={describeApiError(res.error)}
        />,
        422,
      );
    }
    const url = res.data.stripe_connection.success_redirect_url;
    return done(
      c,
      LIST,
      url
        ? `Saved. New checkout links redirect to ${url}.`
        : 'Saved. New checkout links end on Stripe’s page.',
    );
  });

  app.post(`${LIST}/:id/delete`, async (c) => {
    const id = c.req.param('id');
    if (field(c.get('form'), 'confirm') !== '1') {
      return refused(
        c,
        `${LIST}/${encodeURIComponent(id)}`,
        'Tick the confirmation box to delete the connection.',
      );
    }
    const res = await c.get('client').delete<One>(`/stripe_connections/${encodeURIComponent(id)}`);
    if (!res.ok) return signedOut(c, res.error) ?? refused(c, LIST, describeApiError(res.error).join(' '));
    return done(c, LIST, `Deleted the connection “${res.data.stripe_connection.name}”.`);
  });

  return app;
}
