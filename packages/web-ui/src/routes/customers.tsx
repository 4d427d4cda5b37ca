import type {
  LagoCheckoutUrl as CheckoutUrl,
  LagoCustomer as Customer,
  LagoInvoice as Invoice,
  LagoPaymentMethod as PaymentMethod,
  WireStripeConnection as StripeConnection,
} from '@payrail/lago-wire';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { describeApiError } from '../http/describe-error.js';
import { type FormFields, field, fields, type UiEnv } from '../http/env.js';
import { setFlash } from '../http/flash.js';
import { type CustomerDraft, CustomerFormPage, EMPTY_DRAFT } from '../pages/customer-form.js';
import { CustomerListPage, CustomerPage } from '../pages/customers.js';
import { ProblemPage } from '../pages/problem.js';
import { done, refused, signedOut } from './guard.js';

/** Stripe's checkout links last 24 hours (the guide); used when the API does not say. */
const CHECKOUT_LIFETIME_MS = 24 * 60 * 60 * 1000;

function draftOf(form: FormFields): CustomerDraft {
  return {
    external_id: field(form, 'external_id'),
    name: field(form, 'name'),
    email: field(form, 'email'),
    currency: field(form, 'currency'),
    provider: field(form, 'provider') === 'none' ? 'none' : 'stripe',
    connection_code: field(form, 'connection_code'),
    stripe_customer: field(form, 'stripe_customer') === 'link' ? 'link' : 'create',
    provider_customer_id: field(form, 'provider_customer_id'),
    methods: fields(form, 'methods'),
  };
}

function draftFromCustomer(customer: Customer): CustomerDraft {
  const bc = customer.billing_configuration;
  return {
    external_id: customer.external_id,
    name: customer.name ?? '',
    email: customer.email ?? '',
    currency: customer.currency ?? '',
    provider: bc.payment_provider === 'stripe' ? 'stripe' : 'none',
    connection_code: bc.payment_provider_code ?? '',
    stripe_customer: bc.provider_customer_id ? 'link' : 'create',
    provider_customer_id: bc.provider_customer_id ?? '',
    methods: bc.provider_payment_methods ?? [],
  };
}

/** The upsert body: the guide's two cases map to "link an id" or "create in Stripe". */
export function upsertBody(d: CustomerDraft, editing: boolean) {
  const billing =
    d.provider === 'none'
      ? editing
        ? { billing_configuration: { payment_provider: null } }
        : {}
      : {
          billing_configuration: {
            payment_provider: 'stripe',
            ...(d.connection_code ? { payment_provider_code: d.connection_code } : {}),
            provider_payment_methods: d.methods,
            ...(d.stripe_customer === 'link'
              ? { provider_customer_id: d.provider_customer_id || null, sync_with_provider: false }
              : // Synchronous creation, so the page shows the Stripe id and the checkout button right away.
                { sync_with_provider: true, sync: true }),
          },
        };
  return {
    customer: {
      external_id: d.external_id,
      name: d.name || null,
      email: d.email || null,
      ...(d.currency ? { currency: d.currency } : {}),
      ...billing,
    },
  };
}

async function connections(c: Context<UiEnv>): Promise<StripeConnection[]> {
  const res = await c.get('client').get<{ stripe_connections: StripeConnection[] }>('/stripe_connections', {
    per_page: 100,
  });
  return res.ok ? res.data.stripe_connections : [];
}

function customerPath(externalId: string): string {
  return `/customers/${encodeURIComponent(externalId)}`;
}

export function customerRoutes() {
  const app = new Hono<UiEnv>();

  app.get('/customers', async (c) => {
    const res = await c
      .get('client')
      .get<{ customers: Customer[]; meta: { total_count: number } }>('/customers', { per_page: 100 });
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title={describeApiError(res.error).join(' ')} />, 502)
      );
    return c.html(
      <CustomerListPage
        view={c.get('view')}
        customers={res.data.customers}
        total={res.data.meta.total_count}
      />,
    );
  });

  app.get('/customers/new', async (c) => {
    const list = await connections(c);
    const draft = { ...EMPTY_DRAFT, connection_code: list[0]?.code ?? '' };
    return c.html(<CustomerFormPage view={c.get('view')} draft={draft} connections={list} editing={false} />);
  });

  app.post('/customers', async (c) => {
    const form = c.get('form');
    const draft = draftOf(form);
    const editing = field(form, 'editing') === '1';
    // Linking with no id would silently link nothing (Lago's rule), so the form says so first.
    if (draft.provider === 'stripe' && draft.stripe_customer === 'link' && !draft.provider_customer_id) {
      const list = await connections(c);
      return c.html(
        <CustomerFormPage
          view={c.get('view')}
          draft={draft}
          connections={list}
          editing={editing}
          errors={[
            'Stripe customer id: enter the id to link (cus_…), or choose “Create the customer in Stripe”.',
          ]}
        />,
        422,
      );
    }
    const res = await c.get('client').post<{ customer: Customer }>('/customers', upsertBody(draft, editing));
    if (!res.ok) {
      const out = signedOut(c, res.error);
      if (out) return out;
      const list = await connections(c);
      return c.html(
        <CustomerFormPage
          view={c.get('view')}
          draft={draft}
          connections={list}
          editing={editing}
          errors={describeApiError(res.error)}
        />,
        422,
      );
    }
    return done(
      c,
      customerPath(res.data.customer.external_id),
      editing ? 'Customer saved.' : 'Customer created.',
    );
  });

  app.get('/customers/:externalId', async (c) => {
    const client = c.get('client');
    const ext = c.req.param('externalId');
    const path = customerPath(ext);
    const res = await client.get<{ customer: Customer }>(path);
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title="Customer not found" />, 404)
      );
    const [methods, invoices] = await Promise.all([
      client.get<{ payment_methods: PaymentMethod[] }>(`${path}/payment_methods`, { per_page: 100 }),
      client.get<{ invoices: Invoice[] }>('/invoices', { external_customer_id: ext, per_page: 20 }),
    ]);
    return c.html(
      <CustomerPage
        view={c.get('view')}
        customer={res.data.customer}
        methods={methods.ok ? methods.data.payment_methods : []}
        invoices={invoices.ok ? invoices.data.invoices : []}
      />,
    );
  });

  app.get('/customers/:externalId/edit', async (c) => {
    const res = await c.get('client').get<{ customer: Customer }>(customerPath(c.req.param('externalId')));
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title="Customer not found" />, 404)
      );
    const list = await connections(c);
    return c.html(
      <CustomerFormPage
        view={c.get('view')}
        draft={draftFromCustomer(res.data.customer)}
        connections={list}
        editing
      />,
    );
  });

  app.post('/customers/:externalId/checkout-url', async (c) => {
    const ext = c.req.param('externalId');
    const res = await c.get('client').post<{ customer: CheckoutUrl }>(`${customerPath(ext)}/checkout_url`);
    if (!res.ok)
      return signedOut(c, res.error) ?? refused(c, customerPath(ext), describeApiError(res.error).join(' '));
    const link = res.data.customer;
    const expiresAt = link.expires_at ?? new Date(Date.now() + CHECKOUT_LIFETIME_MS).toISOString();
    const view = c.get('view');
    setFlash(c, view.base || '/', {
      notice: 'A new checkout link was generated.',
      checkout: { customer: ext, url: link.checkout_url, expiresAt },
    });
    return c.redirect(`${view.base}${customerPath(ext)}`, 303);
  });

  app.post('/customers/:externalId/payment-methods/:id/default', async (c) => {
    const path = customerPath(c.req.param('externalId'));
    const res = await c
      .get('client')
      .put(`${path}/payment_methods/${encodeURIComponent(c.req.param('id'))}/set_as_default`);
    if (!res.ok) return signedOut(c, res.error) ?? refused(c, path, describeApiError(res.error).join(' '));
    return done(c, path, 'Default payment method changed.');
  });

  return app;
}
