import type {
  LagoAddOn as AddOn,
  LagoCreditNote as CreditNote,
  LagoCustomer as Customer,
  LagoFee as Fee,
  LagoInvoice as Invoice,
  LagoInvoiceExtended as InvoiceExtended,
  LagoPayment as Payment,
  LagoInvoicePaymentDetails as PaymentDetails,
} from '@payrail/lago-wire';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ApiResult } from '../http/api-client.js';
import { describeApiError } from '../http/describe-error.js';
import { field, type UiEnv } from '../http/env.js';
import { setFlash } from '../http/flash.js';
import { InvoicePage } from '../pages/invoice.js';
import { type InvoiceDraft, InvoiceListPage, NewInvoicePage, PAYMENT_FILTERS } from '../pages/invoices.js';
import { ProblemPage } from '../pages/problem.js';
import { invoiceActions } from '../rules/invoice-actions.js';
import { parseMoney } from '../views/format.js';
import { done, refused, signedOut } from './guard.js';

const CREDIT_KINDS = {
  credit: 'credit_amount_cents',
  refund: 'refund_amount_cents',
  offset: 'offset_amount_cents',
} as const;

function invoicePath(id: string): string {
  return `/invoices/${encodeURIComponent(id)}`;
}

/** Spreads a credit over the fees in order, never more than a fee's own amount. */
export function creditItems(
  fees: readonly Fee[],
  cents: number,
): { fee_id: string; amount_cents: number }[] | null {
  const items: { fee_id: string; amount_cents: number }[] = [];
  let left = cents;
  for (const fee of fees) {
    if (left === 0) break;
    const take = Math.min(left, fee.amount_cents);
    if (take > 0) items.push({ fee_id: fee.lago_id, amount_cents: take });
    left -= take;
  }
  return left === 0 && items.length > 0 ? items : null;
}

async function newInvoicePage(c: Context<UiEnv>, draft: InvoiceDraft, errors?: readonly string[]) {
  const client = c.get('client');
  const [customers, addOns] = await Promise.all([
    client.get<{ customers: Customer[] }>('/customers', { per_page: 100 }),
    client.get<{ add_ons: AddOn[] }>('/add_ons', { per_page: 100 }),
  ]);
  return c.html(
    <NewInvoicePage
      view={c.get('view')}
      customers={customers.ok ? customers.data.customers : []}
      addOns={addOns.ok ? addOns.data.add_ons : []}
      draft={draft}
      {...(errors ? { errors } : {})}
    />,
    errors ? 422 : 200,
  );
}

/** Runs an invoice action and comes back to the invoice, with the API's refusal if there is one. */
async function act(c: Context<UiEnv>, call: (path: string) => Promise<ApiResult<unknown>>, notice: string) {
  const path = invoicePath(c.req.param('id') ?? '');
  const res = await call(path);
  if (!res.ok) return signedOut(c, res.error) ?? refused(c, path, describeApiError(res.error).join(' '));
  return done(c, path, notice);
}

export function invoiceRoutes() {
  const app = new Hono<UiEnv>();

  app.get('/invoices', async (c) => {
    const status = c.req.query('payment_status') ?? '';
    const filter = {
      paymentStatus: (PAYMENT_FILTERS as readonly string[]).includes(status) ? status : '',
      disputeLost: c.req.query('dispute_lost') === '1',
    };
    const res = await c
      .get('client')
      .get<{ invoices: Invoice[]; meta: { total_count: number } }>('/invoices', {
        per_page: 100,
        payment_status: filter.paymentStatus || undefined,
        payment_dispute_lost: filter.disputeLost ? 'true' : undefined,
      });
    if (!res.ok)
      return (
        signedOut(c, res.error) ??
        c.html(<ProblemPage view={c.get('view')} title={describeApiError(res.error).join(' ')} />, 502)
      );
    return c.html(
      <InvoiceListPage
        view={c.get('view')}
        invoices={res.data.invoices}
        total={res.data.meta.total_count}
        filter={filter}
      />,
    );
  });

  app.get('/invoices/new', (c) =>
    newInvoicePage(c, { customer: c.req.query('customer') ?? '', add_on: '', units: '1', description: '' }),
  );

  app.post('/invoices', async (c) => {
    const form = c.get('form');
    const draft: InvoiceDraft = {
      customer: field(form, 'customer'),
      add_on: field(form, 'add_on'),
      units: field(form, 'units') || '1',
      description: field(form, 'description'),
    };
    if (!/^\d+(\.\d+)?$/.test(draft.units))
      return newInvoicePage(c, draft, ['Units: enter a number such as 1 or 2.5.']);
    const res = await c.get('client').post<{ invoice: InvoiceExtended }>('/invoices', {
      invoice: {
        external_customer_id: draft.customer,
        fees: [
          {
            add_on_code: draft.add_on,
            units: draft.units,
            ...(draft.description ? { description: draft.description } : {}),
          },
        ],
      },
    });
    if (!res.ok) return signedOut(c, res.error) ?? newInvoicePage(c, draft, describeApiError(res.error));
    return done(c, invoicePath(res.data.invoice.lago_id), `Invoice ${res.data.invoice.number} created.`);
  });

  app.get('/invoices/:id', async (c) => {
    const client = c.get('client');
    const id = c.req.param('id');
    const res = await client.get<{ invoice: InvoiceExtended }>(invoicePath(id));
    if (!res.ok)
      return (
        signedOut(c, res.error) ?? c.html(<ProblemPage view={c.get('view')} title="Invoice not found" />, 404)
      );
    const payments = await client.get<{ payments: Payment[] }>('/payments', {
      invoice_id: id,
      per_page: 100,
    });
    const list = payments.ok ? payments.data.payments : [];
    const inFlight = list.some((p) => p.payment_status === 'pending' || p.payment_status === 'processing');
    return c.html(
      <InvoicePage
        view={c.get('view')}
        invoice={res.data.invoice}
        payments={list}
        actions={invoiceActions(res.data.invoice, inFlight)}
      />,
    );
  });

  app.post('/invoices/:id/void', (c) =>
    act(c, (p) => c.get('client').post(`${p}/void`, {}), 'Invoice voided.'),
  );
  app.post('/invoices/:id/retry-payment', (c) =>
    act(c, (p) => c.get('client').post(`${p}/retry_payment`, {}), 'Payment retry requested.'),
  );
  app.post('/invoices/:id/payment-link', async (c) => {
    const id = c.req.param('id');
    const path = invoicePath(id);
    const res = await c
      .get('client')
      .post<{ invoice_payment_details: PaymentDetails }>(`${path}/payment_url`);
    if (!res.ok) return signedOut(c, res.error) ?? refused(c, path, describeApiError(res.error).join(' '));
    const details = res.data.invoice_payment_details;
    const view = c.get('view');
    setFlash(c, view.base || '/', {
      notice: 'Payment link ready.',
      paymentLink: { invoice: id, url: details.payment_url, expiresAt: details.expires_at },
    });
    return c.redirect(`${view.base}${path}`, 303);
  });
  app.post('/invoices/:id/lose-dispute', (c) =>
    act(c, (p) => c.get('client').post(`${p}/lose_dispute`, {}), 'Invoice marked as a lost dispute.'),
  );

  app.post('/invoices/:id/credit-notes', async (c) => {
    const client = c.get('client');
    const id = c.req.param('id');
    const path = invoicePath(id);
    const form = c.get('form');
    const inv = await client.get<{ invoice: InvoiceExtended }>(path);
    if (!inv.ok) return signedOut(c, inv.error) ?? refused(c, '/invoices', 'Invoice not found.');
    const invoice = inv.data.invoice;
    const cents = parseMoney(field(form, 'amount'), invoice.currency);
    if (cents === null || cents <= 0) {
      return refused(c, path, `Credit note: enter an amount above zero in ${invoice.currency}, e.g. 10.00.`);
    }
    const items = creditItems(invoice.fees, cents);
    if (!items) return refused(c, path, 'Credit note: the amount is higher than the invoice’s fees.');
    const kind = field(form, 'kind') as keyof typeof CREDIT_KINDS;
    const amountField = CREDIT_KINDS[kind] ?? CREDIT_KINDS.credit;
    const res = await client.post<{ credit_note: CreditNote }>('/credit_notes', {
      credit_note: { invoice_id: id, reason: field(form, 'reason') || 'other', items, [amountField]: cents },
    });
    if (!res.ok) return signedOut(c, res.error) ?? refused(c, path, describeApiError(res.error).join(' '));
    return done(c, path, `Credit note ${res.data.credit_note.number} issued.`);
  });

  return app;
}
