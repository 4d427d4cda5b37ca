import type { LagoInvoiceExtended as Invoice, LagoPayment as Payment } from '@payrail/lago-wire';
import type { Child } from 'hono/jsx';
import type { ActionState, invoiceActions } from '../rules/invoice-actions.js';
import type { View } from '../views/context.js';
import { formatDateTime, formatMoney } from '../views/format.js';
import { CsrfField, ErrorList, Layout, StatusBadge } from '../views/layout.js';
import { DisputeMarker } from './invoices.js';

type Actions = ReturnType<typeof invoiceActions>;

const CREDIT_KINDS = [
  { value: 'credit', label: 'Credit the customer’s balance' },
  { value: 'refund', label: 'Refund to the payment method through Stripe' },
  { value: 'offset', label: 'Deduct from the amount still due' },
] as const;

/** The API's `payment_waiting_reason`, in the words a merchant would use. */
const WAITING_REASONS: Readonly<Record<string, string>> = {
  customer_has_no_payment_provider:
    'Not charged yet: the customer is not linked to Stripe. Link the customer to collect this invoice.',
  provider_customer_pending: 'Not charged yet: the customer is still being created in Stripe.',
  provider_customer_error:
    'Not charged yet: Stripe refused to create the customer. Fix the customer’s details and save again.',
  no_payment_method:
    'Not charged yet: the customer has no valid payment method. Send them the checkout link to save one; the invoice is charged as soon as they do.',
  amount_below_provider_minimum:
    'Not charged: the amount due is below the smallest charge Stripe accepts in this currency.',
  requires_action: 'Waiting for the customer: their bank asks them to confirm the payment (3-D Secure).',
  payment_link_open:
    'Waiting for the customer to pay through the payment link. Nothing else is charged until it is paid or expires.',
};

export function waitingReasonText(reason: string): string {
  return WAITING_REASONS[reason] ?? `Not charged yet (${reason}).`;
}

/** A button that is disabled with its reason beside it when the rules forbid the action. */
function ActionButton(props: { id: string; state: ActionState; label: string; danger?: boolean }) {
  const reasonId = `${props.id}-reason`;
  return (
    <div class="action">
      <button
        type="submit"
        id={props.id}
        class={props.danger ? 'danger' : undefined}
        disabled={!props.state.allowed}
        aria-describedby={props.state.allowed ? undefined : reasonId}
      >
        {props.label}
      </button>
      {props.state.allowed ? null : (
        <span class="reason" id={reasonId}>
          {props.state.reason}
        </span>
      )}
    </div>
  );
}

function ActionForm(props: { view: View; action: string; children: Child }) {
  return (
    <form method="post" action={props.action}>
      <CsrfField view={props.view} />
      {props.children}
    </form>
  );
}

export function InvoicePage(props: {
  view: View;
  invoice: Invoice;
  payments: readonly Payment[];
  actions: Actions;
  errors?: readonly string[];
}) {
  const { view, invoice, actions } = props;
  const base = `${view.base}/invoices/${encodeURIComponent(invoice.lago_id)}`;
  const fees = invoice.fees;
  const firstKind = CREDIT_KINDS.find((k) => actions[k.value].allowed)?.value;
  const link = view.flash.paymentLink?.invoice === invoice.lago_id ? view.flash.paymentLink : undefined;
  return (
    <Layout view={view} title={`Invoice ${invoice.number}`} section="invoices">
      <h1>Invoice {invoice.number}</h1>
      <ErrorList errors={props.errors} />
      <section class="card">
        <dl class="facts">
          <dt>Customer</dt>
          <dd>
            <a href={`${view.base}/customers/${encodeURIComponent(invoice.customer.external_id)}`}>
              {invoice.customer.name ?? invoice.customer.external_id}
            </a>
          </dd>
          <dt>Issued</dt>
          <dd>{invoice.issuing_date}</dd>
          <dt>Total</dt>
          <dd>{formatMoney(invoice.total_amount_cents, invoice.currency)}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={invoice.status} />
          </dd>
          <dt>Payment status</dt>
          <dd id="payment-status">
            <StatusBadge status={invoice.payment_status} />
            <DisputeMarker invoice={invoice} />
          </dd>
          {invoice.payment_waiting_reason ? (
            <>
              <dt>Waiting for</dt>
              <dd id="payment-waiting-reason">{waitingReasonText(invoice.payment_waiting_reason)}</dd>
            </>
          ) : null}
          {invoice.payment_dispute_lost_at ? (
            <>
              <dt>Dispute lost</dt>
              <dd>{formatDateTime(invoice.payment_dispute_lost_at)}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <h2>Actions</h2>
      <div class="card">
        <div class="actions" style="margin-top:0">
          <ActionForm view={view} action={`${base}/retry-payment`}>
            <ActionButton id="retry-payment" state={actions.retryPayment} label="Retry payment" />
          </ActionForm>
          <ActionForm view={view} action={`${base}/payment-link`}>
            <ActionButton id="payment-link" state={actions.paymentLink} label="Payment link" />
          </ActionForm>
          <ActionForm view={view} action={`${base}/void`}>
            <ActionButton id="void" state={actions.void} label="Void invoice" danger />
          </ActionForm>
          <ActionForm view={view} action={`${base}/lose-dispute`}>
            <ActionButton id="lose-dispute" state={actions.loseDispute} label="Mark dispute lost" danger />
          </ActionForm>
        </div>
      </div>

      {link ? (
        <section class="card" aria-labelledby="payment-link-title">
          <h2 id="payment-link-title" style="margin-top:0">
            Payment link
          </h2>
          <dl class="facts">
            <dt>Link</dt>
            <dd>
              <a href={link.url} id="payment-link-url" rel="noreferrer">
                {link.url}
              </a>
            </dd>
            <dt>Expires</dt>
            <dd id="payment-link-expiry">{formatDateTime(link.expiresAt)}</dd>
          </dl>
          <p class="muted">
            Send it to the customer: they pay what is due on Stripe’s page, with a card or their bank.
          </p>
        </section>
      ) : null}

      <h2 id="credit-note-title">Credit note</h2>
      <form method="post" action={`${base}/credit-notes`} class="card" aria-labelledby="credit-note-title">
        <CsrfField view={view} />
        <label for="cn-amount">
          Amount<span class="hint">In {invoice.currency}, excluding taxes, e.g. 10.00</span>
        </label>
        <input id="cn-amount" name="amount" type="text" inputmode="decimal" required />
        <fieldset>
          <legend>What happens to the amount</legend>
          {CREDIT_KINDS.map((kind) => {
            const state = actions[kind.value];
            return (
              <label class="check">
                <input
                  type="radio"
                  name="kind"
                  value={kind.value}
                  checked={kind.value === firstKind}
                  disabled={!state.allowed}
                  aria-describedby={state.allowed ? undefined : `${kind.value}-reason`}
                />
                <span>
                  {kind.label}
                  {state.allowed ? null : (
                    <span class="reason hint" id={`${kind.value}-reason`}>
                      Not available: {state.reason}
                    </span>
                  )}
                </span>
              </label>
            );
          })}
        </fieldset>
        <label for="cn-reason">Reason</label>
        <select id="cn-reason" name="reason">
          <option value="other">Other</option>
          <option value="duplicated_charge">Duplicated charge</option>
          <option value="product_unsatisfactory">Product unsatisfactory</option>
          <option value="order_change">Order change</option>
          <option value="order_cancellation">Order cancellation</option>
          <option value="fraudulent_charge">Fraudulent charge</option>
        </select>
        <div class="actions">
          <ActionButton id="credit-note" state={actions.creditNote} label="Issue credit note" />
        </div>
      </form>

      <h2>Fees</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Units</th>
            <th scope="col" class="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {fees.map((fee) => (
            <tr>
              <td>
                {fee.item.name}
                {fee.description ? <span class="hint">{fee.description}</span> : null}
              </td>
              <td>{fee.units}</td>
              <td class="num">{formatMoney(fee.amount_cents, fee.amount_currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Payments</h2>
      {props.payments.length === 0 ? (
        <p class="empty">No payment attempt yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Stripe</th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {props.payments.map((p) => (
              <tr>
                <td>{formatDateTime(p.created_at)}</td>
                <td>{p.provider_payment_id ? <code>{p.provider_payment_id}</code> : '—'}</td>
                <td class="num">{formatMoney(p.amount_cents, p.amount_currency)}</td>
                <td>
                  <StatusBadge status={p.payment_status} />
                  {p.status !== p.payment_status ? <span class="muted"> Stripe: {p.status}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
