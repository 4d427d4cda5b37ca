import type { LagoAddOn as AddOn } from '@payrail/lago-wire';
import { Hono } from 'hono';
import { describeApiError } from '../http/describe-error.js';
import { field, type UiEnv } from '../http/env.js';
import { AddOnsPage } from '../pages/add-ons.js';
import { ProblemPage } from '../pages/problem.js';
import { parseMoney } from '../views/format.js';
import { done, signedOut } from './guard.js';

export function addOnRoutes() {
  const app = new Hono<UiEnv>();

  app.get('/add-ons', async (c) => {
    const res = await c.get('client').get<{ add_ons: AddOn[] }>('/add_ons', { per_page: 100 });
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title={describeApiError(res.error).join(' ')} />, 502)
      );
    return c.html(<AddOnsPage view={c.get('view')} addOns={res.data.add_ons} />);
  });

  app.post('/add-ons', async (c) => {
    const form = c.get('form');
    const client = c.get('client');
    const draft = {
      name: field(form, 'name'),
      code: field(form, 'code'),
      amount: field(form, 'amount'),
      currency: field(form, 'currency') || 'EUR',
    };
    const cents = parseMoney(draft.amount, draft.currency);
    const res =
      cents === null
        ? null
        : await client.post<{ add_on: AddOn }>('/add_ons', {
            add_on: {
              name: draft.name,
              code: draft.code,
              amount_cents: cents,
              amount_currency: draft.currency,
            },
          });
    if (res?.ok) return done(c, '/add-ons', `Add-on “${res.data.add_on.name}” created.`);
    if (res) {
      const out = signedOut(c, res.error);
      if (out) return out;
    }
    const errors = res
      ? describeApiError(res.error)
      : [`Price: enter an amount like 49.90 (at most the decimals ${draft.currency} has).`];
    const list = await client.get<{ add_ons: AddOn[] }>('/add_ons', { per_page: 100 });
    return c.html(
      <AddOnsPage
        view={c.get('view')}
        addOns={list.ok ? list.data.add_ons : []}
        draft={draft}
        errors={errors}
      />,
      422,
    );
  });

  return app;
}
