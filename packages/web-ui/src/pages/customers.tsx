import type {
  LagoCustomer as Customer,
  LagoInvoice as Invoice,
  LagoPaymentMethod as PaymentMethod,
} from '@payrail/lago-wire';
import { METHOD_OPTIONS, mismatchedMethods } from '../rules/payment-methods.js';
import type { View } from '../views/context.js';
import { formatDateTime, formatMoney } from '../views/format.js';
import { CsrfField, ErrorList, Layout, StatusBadge } from '../views/layout.js';
import { CheckoutSection } from './checkout-section.js';

function stripeState(customer: Customer): string {
  const bc = customer.billing_configuration;
  if (bc.payment_provider !== 'stripe') return 'Not linked';
  if (bc.provider_customer_id) return bc.provider_customer_id;
  return bc.sync_with_provider ? 'Being created in Stripe…' : 'Linked, no Stripe customer id';
}

export function CustomerListPage(props: { view: View; customers: readonly Customer[]; total: number }) {
  const { view } = props;
  return (
    <Layout view={view} title="Customers" section="customers">
      <div class="toolbar">
        <h1>Customers</h1>
        <a class="button" href={`${view.base}/customers/new`}>
          New customer
        </a>
      </div>
      {props.customers.length === 0 ? (
        <p class="empty">No customers yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">External id</th>
              <th scope="col">Name</th>
              <th scope="col">Currency</th>
              <th scope="col">Stripe customer</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.customers.map((cu) => (
              <tr>
                <td>
                  <a href={`${view.base}/customers/${encodeURIComponent(cu.external_id)}`}>
                    {cu.external_id}
                  </a>
                </td>
                <td>{cu.name ?? '—'}</td>
                <td>{cu.currency ?? '—'}</td>
                <td>{stripeState(cu)}</td>
                <td>{formatDateTime(cu.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.total > props.customers.length ? (
        <p class="muted">
          Showing the {props.customers.length} most recent of {props.total} customers.
        </p>
      ) : null}
    </Layout>
  );
}

export function CustomerPage(props: {
  view: View;
  customer: Customer;
  methods: readonly PaymentMethod[];
  invoices: readonly Invoice[];
  errors?: readonly string[];
}) {
  const { view, customer } = props;
  const bc = customer.billing_configuration;
  const methods = bc.provider_payment_methods ?? [];
  const warn = mismatchedMethods(methods, customer.currency);
  const base = `${view.base}/customers/${encodeURIComponent(customer.external_id)}`;
  return (
    <Layout view={view} title={`Customer ${customer.external_id}`} section="customers">
      <div class="toolbar">
        <h1>{customer.name ?? customer.external_id}</h1>
        <a class="button secondary" href={`${base}/edit`}>
          Edit
        </a>
      </div>
      <ErrorList errors={props.errors} />
      <section class="card">
        <dl class="facts">
          <dt>External id</dt>
          <dd>{customer.external_id}</dd>
          <dt>Email</dt>
          <dd>{customer.email ?? '—'}</dd>
          <dt>Currency</dt>
          <dd>{customer.currency ?? '—'}</dd>
          <dt>Payment provider</dt>
          <dd>
            {bc.payment_provider === 'stripe' ? `Stripe (${bc.payment_provider_code ?? 'default'})` : 'None'}
          </dd>
          <dt>Stripe customer</dt>
          <dd id="stripe-customer">{stripeState(customer)}</dd>
          <dt>Payment methods</dt>
          <dd>
            {methods.length === 0
              ? '—'
              : methods.map((m) => METHOD_OPTIONS.find((o) => o.value === m)?.label ?? m).join(', ')}
            {warn.length > 0 ? (
              <span class="hint">
                {warn.join(', ')} cannot charge {customer.currency} invoices.
              </span>
            ) : null}
          </dd>
        </dl>
      </section>
      <CheckoutSection view={view} customer={customer} checkout={view.flash.checkout} />
      <h2>Saved payment methods</h2>
      {props.methods.length === 0 ? (
        <p class="empty">None saved yet. The customer saves one through the checkout link.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Stripe payment method</th>
              <th scope="col">Connection</th>
              <th scope="col">Saved</th>
              <th scope="col">Default</th>
            </tr>
          </thead>
          <tbody>
            {props.methods.map((pm) => (
              <tr>
                <td>
                  <code>{pm.provider_method_id}</code>
                </td>
                <td>{pm.payment_provider_code ?? '—'}</td>
                <td>{formatDateTime(pm.created_at)}</td>
                <td>
                  {pm.is_default ? (
                    <StatusBadge status="succeeded" label="Default" />
                  ) : (
                    <form
                      method="post"
                      action={`${base}/payment-methods/${encodeURIComponent(pm.lago_id)}/default`}
                    >
                      <CsrfField view={view} />
                      <button type="submit" class="secondary">
                        Make default<span class="vh"> {pm.provider_method_id}</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="toolbar" style="margin-top:1.75rem">
        <h2 style="margin:0">Invoices</h2>
        <a
          class="button secondary"
          href={`${view.base}/invoices/new?customer=${encodeURIComponent(customer.external_id)}`}
        >
          New one-off invoice
        </a>
      </div>
      {props.invoices.length === 0 ? (
        <p class="empty">No invoices yet.</p>
      ) : (
        <table>
          <tbody>
            {props.invoices.map((inv) => (
              <tr>
                <td>
                  <a href={`${view.base}/invoices/${encodeURIComponent(inv.lago_id)}`}>{inv.number}</a>
                </td>
                <td class="num">{formatMoney(inv.total_amount_cents, inv.currency)}</td>
                <td>
                  <StatusBadge status={inv.payment_status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
