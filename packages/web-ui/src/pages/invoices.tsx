import type {
  LagoAddOn as AddOn,
  LagoCustomer as Customer,
  LagoInvoice as Invoice,
} from '@payrail/lago-wire';
import type { View } from '../views/context.js';
import { formatDateTime, formatMoney } from '../views/format.js';
import { CsrfField, ErrorList, Layout, StatusBadge } from '../views/layout.js';

export function DisputeMarker(props: { invoice: Invoice }) {
  if (!props.invoice.payment_dispute_lost_at) return null;
  return (
    <span title={`Dispute lost ${formatDateTime(props.invoice.payment_dispute_lost_at)}`}>
      {' '}
      <StatusBadge status="lost" label="Dispute lost" />
    </span>
  );
}

export const PAYMENT_FILTERS = ['pending', 'succeeded', 'failed'] as const;

export interface InvoiceFilter {
  readonly paymentStatus: string;
  readonly disputeLost: boolean;
}

export function InvoiceListPage(props: {
  view: View;
  invoices: readonly Invoice[];
  total: number;
  filter: InvoiceFilter;
}) {
  const { view, filter } = props;
  return (
    <Layout view={view} title="Invoices" section="invoices">
      <div class="toolbar">
        <h1>Invoices</h1>
        <a class="button" href={`${view.base}/invoices/new`}>
          New one-off invoice
        </a>
      </div>
      <form method="get" action={`${view.base}/invoices`} class="filters" aria-label="Filter invoices">
        <label for="payment_status">Payment status</label>
        <select id="payment_status" name="payment_status">
          <option value="" selected={filter.paymentStatus === ''}>
            Any
          </option>
          {PAYMENT_FILTERS.map((status) => (
            <option value={status} selected={filter.paymentStatus === status}>
              {status}
            </option>
          ))}
        </select>
        <label class="check" for="dispute_lost">
          <input
            id="dispute_lost"
            name="dispute_lost"
            type="checkbox"
            value="1"
            checked={filter.disputeLost}
          />
          <span>Dispute lost only</span>
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {props.invoices.length === 0 ? (
        <p class="empty">
          {filter.paymentStatus || filter.disputeLost
            ? 'No invoice matches this filter.'
            : 'No invoices yet.'}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Customer</th>
              <th scope="col">Issued</th>
              <th scope="col" class="num">
                Total
              </th>
              <th scope="col">Status</th>
              <th scope="col">Payment</th>
            </tr>
          </thead>
          <tbody>
            {props.invoices.map((inv) => (
              <tr>
                <td>
                  <a href={`${view.base}/invoices/${encodeURIComponent(inv.lago_id)}`}>{inv.number}</a>
                </td>
                <td>{inv.customer.name ?? inv.customer.external_id}</td>
                <td>{inv.issuing_date}</td>
                <td class="num">{formatMoney(inv.total_amount_cents, inv.currency)}</td>
                <td>
                  <StatusBadge status={inv.status} />
                </td>
                <td class="payment-status">
                  <StatusBadge status={inv.payment_status} />
                  <DisputeMarker invoice={inv} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.total > props.invoices.length ? (
        <p class="muted">
          Showing the {props.invoices.length} most recent of {props.total} invoices.
        </p>
      ) : null}
    </Layout>
  );
}

export interface InvoiceDraft {
  readonly customer: string;
  readonly add_on: string;
  readonly units: string;
  readonly description: string;
}

export function NewInvoicePage(props: {
  view: View;
  customers: readonly Customer[];
  addOns: readonly AddOn[];
  draft: InvoiceDraft;
  errors?: readonly string[];
}) {
  const { view, draft: d } = props;
  const missing = props.customers.length === 0 ? 'customer' : props.addOns.length === 0 ? 'add-on' : null;
  return (
    <Layout view={view} title="New one-off invoice" section="invoices">
      <h1>New one-off invoice</h1>
      <p class="muted">
        The invoice is finalized at once; when it is above zero, Payrail charges the customer’s default
        payment method through Stripe.
      </p>
      <ErrorList title="The invoice was not created:" errors={props.errors} />
      {missing ? (
        <p class="empty">
          Create a {missing} first:{' '}
          <a href={`${view.base}/${missing === 'customer' ? 'customers/new' : 'add-ons'}`}>
            {missing === 'customer' ? 'new customer' : 'add-ons'}
          </a>
          .
        </p>
      ) : (
        <form method="post" action={`${view.base}/invoices`} class="card">
          <CsrfField view={view} />
          <label for="customer">Customer</label>
          <select id="customer" name="customer" required>
            {props.customers.map((cu) => (
              <option value={cu.external_id} selected={d.customer === cu.external_id}>
                {cu.name ? `${cu.name} (${cu.external_id})` : cu.external_id}
                {cu.currency ? ` · ${cu.currency}` : ''}
              </option>
            ))}
          </select>
          <label for="add_on">Add-on</label>
          <select id="add_on" name="add_on" required>
            {props.addOns.map((a) => (
              <option value={a.code} selected={d.add_on === a.code}>
                {a.name} · {formatMoney(a.amount_cents, a.amount_currency)}
              </option>
            ))}
          </select>
          <label for="units">Units</label>
          <input id="units" name="units" type="text" inputmode="decimal" value={d.units || '1'} required />
          <label for="description">Description (optional)</label>
          <input id="description" name="description" type="text" value={d.description} maxlength={255} />
          <div class="actions">
            <button type="submit">Create invoice</button>
          </div>
        </form>
      )}
    </Layout>
  );
}
