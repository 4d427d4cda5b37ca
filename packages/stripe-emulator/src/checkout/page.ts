/**
 * The hosted Checkout page behind a session's `url`: a plain HTML form listing the session's
 * payment method types with their test instruments. Submitting it completes the session (setup
 * mode saves the method; payment mode pays the amount) and redirects to `success_url` (or shows a
 * "done" page when the session has none). A declined payment shows the decline and keeps the page
 * open for another instrument, as Stripe's page does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { type Ctx, systemCtx } from '../context.js';
import type { Emulator } from '../emulator.js';
import { decodeForm } from '../form.js';
import { readBody, safeDecode, send } from '../http/respond.js';
import {
  formatAmount,
  INSTRUMENTS,
  type Instrument,
  instrumentById,
  type MethodType,
} from '../instruments.js';
import { completeSession, refreshExpiry } from '../resources/checkout-sessions.js';
import { escapeHtml, page } from './html.js';

const METHOD_LABELS: Record<MethodType, string> = {
  card: 'Card',
  sepa_debit: 'SEPA Direct Debit (EUR)',
  us_bank_account: 'US bank account, ACH Direct Debit (USD)',
  bacs_debit: 'Bacs Direct Debit (GBP)',
  link: 'Link',
  boleto: 'Boleto (BRL)',
  crypto: 'Crypto, stablecoins (USD)',
  customer_balance: 'Bank transfer',
};

/** The instruments shown on the page; the full catalogue stays reachable through the test controls. */
const PAGE_INSTRUMENTS = new Set([
  'card_visa',
  'card_mastercard',
  'card_charge_customer_fail',
  'card_authentication_required',
  'card_authentication_on_setup',
  'card_declined',
  'card_insufficient_funds',
  'card_dispute',
  'card_pending_refund',
  'card_refund_fail',
  'sepa_success',
  'sepa_success_delayed',
  'sepa_failed',
  'sepa_failed_delayed',
  'sepa_disputed',
  'ach_success',
  'ach_insufficient_funds',
  'ach_account_closed',
  'ach_dispute',
  'ach_processing',
  'bacs_success',
  'bacs_success_delayed',
  'bacs_insufficient_funds',
  'bacs_debit_not_authorized',
  'bacs_dispute',
  'bacs_setup_fails',
  'link_success',
  'boleto_paid',
  'boleto_expires',
  'crypto_success',
  'customer_balance',
]);

const BANK_DEBITS: ReadonlySet<string> = new Set(['sepa_debit', 'us_bank_account', 'bacs_debit']);

function groups(value: string): string {
  return value.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The instrument's full test number, as a customer would type it on Stripe's page. */
function details(i: Instrument): string {
  switch (i.type) {
    case 'card':
      return `(card ${groups(i.number)})`;
    case 'sepa_debit':
      return `(IBAN ${groups(i.number)})`;
    case 'us_bank_account':
      return `(routing 110000000, account ${i.number})`;
    case 'bacs_debit':
      return `(sort code 10-88-00, account ${i.number})`;
    case 'link':
      return `(Link account ${i.number})`;
    case 'boleto':
      return `(CPF ${i.number.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4')})`;
    case 'crypto':
      return '(USDC wallet)';
    case 'customer_balance':
      return '(you get the account and reference to transfer to)';
  }
}

function formPage(
  session: Stripe.Checkout.Session,
  error: string | null,
  lineItems: readonly Stripe.LineItem[] = [],
): string {
  const items = lineItemsList(lineItems);
  const groups = session.payment_method_types
    .map((type) => {
      const items = INSTRUMENTS.filter((i) => i.type === type && PAGE_INSTRUMENTS.has(i.id));
      const radios = items
        .map(
          (i, n) =>
            `<label><input type="radio" name="instrument" value="${i.id}" id="i-${i.id}"${
              n === 0 && type === session.payment_method_types[0] ? ' checked' : ''
            } required> ${escapeHtml(i.label)} <span class="note">${escapeHtml(details(i))}</span></label>`,
        )
        .join('\n');
      const mandate =
        type === 'card' || !BANK_DEBITS.has(type)
          ? ''
          : '\n<p class="note">Saving bank details accepts a mandate: you authorise future debits from this account.</p>';
      return `<fieldset><legend>${escapeHtml(METHOD_LABELS[type as MethodType] ?? type)}</legend>\n${radios}${mandate}\n</fieldset>`;
    })
    .join('\n');
  const cancel = session.cancel_url
    ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel and return</a></p>`
    : '';
  const err = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  if (session.mode === 'payment') {
    const amount = formatAmount(session.currency ?? 'usd', session.amount_total ?? 0);
    return page(
      `Pay ${amount}`,
      `<h1>Pay ${escapeHtml(amount)}</h1>
${items}
<p class="note">Stripe emulator test mode: pick a test instrument. Test instruments move no real money.</p>
${err}
<form method="post">
${groups}
<button type="submit">Pay ${escapeHtml(amount)}</button>
</form>
${cancel}`,
    );
  }
  return page(
    'Save your payment details',
    `<h1>Save your payment details</h1>
<p class="note">Stripe emulator test mode: pick a test instrument. Nothing is charged.</p>
${err}
<form method="post">
${groups}
<button type="submit">Save payment details</button>
</form>
${cancel}`,
  );
}

/** What the customer pays for: each line item with its amount. */
function lineItemsList(items: readonly Stripe.LineItem[]): string {
  if (items.length === 0) return '';
  const rows = items
    .map(
      (item) =>
        `<li>${escapeHtml(item.description ?? '')}${
          (item.quantity ?? 1) > 1 ? ` × ${item.quantity}` : ''
        }: ${escapeHtml(formatAmount(item.currency, item.amount_total))}</li>`,
    )
    .join('\n');
  return `<ul class="items">\n${rows}\n</ul>`;
}

function messagePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}

function findSession(emu: Emulator, id: string): { ctx: Ctx; session: Stripe.Checkout.Session } | undefined {
  const account = emu.owners.get(id);
  const session = account?.checkoutSessions.get(id);
  if (!account || !session) return undefined;
  return { ctx: systemCtx(emu, account), session };
}

export async function handleCheckoutPage(
  emu: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const html = (status: number, body: string, headers: Record<string, string> = {}) =>
    send(res, status, body, headers, 'text/html; charset=utf-8');
  const id = safeDecode(path.slice('/checkout/'.length));
  const found = id === null ? undefined : findSession(emu, id);
  if (!found) {
    html(404, messagePage('Page not found', 'This checkout link does not exist.'));
    return;
  }
  const { ctx, session } = found;
  const items = ctx.account.sessionLineItems.get(session.id) ?? [];
  refreshExpiry(ctx, session);
  if (session.status === 'expired') {
    html(410, messagePage('This link has expired', 'This checkout session has expired. Ask for a new link.'));
    return;
  }
  if (session.status === 'complete') {
    html(200, donePage(session, true));
    return;
  }
  if (req.method === 'GET') {
    html(200, formPage(session, null, items));
    return;
  }
  if (req.method !== 'POST') {
    html(405, messagePage('Method not allowed', 'Use GET or POST.'), { Allow: 'GET, POST' });
    return;
  }
  let choice: string | undefined;
  try {
    const form = decodeForm(await readBody(req));
    choice = typeof form.instrument === 'string' ? form.instrument : undefined;
  } catch {
    choice = undefined;
  }
  const instrument = choice ? instrumentById(choice) : undefined;
  if (!instrument) {
    html(400, formPage(session, 'Choose one of the test instruments.', items));
    return;
  }
  const userAgent = req.headers['user-agent'];
  const result = completeSession(ctx, session, instrument, {
    ipAddress: req.socket.remoteAddress ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  });
  if (!result.ok) {
    if (result.status === 410) html(410, messagePage('This link has expired', result.message));
    else html(result.status, formPage(session, result.message, items));
    return;
  }
  if (result.redirectUrl) {
    send(res, 303, '', { Location: result.redirectUrl }, 'text/plain');
    return;
  }
  html(200, donePage(session, false));
}

/** After completion: saved details, a payment received, or a bank debit on its way. */
function donePage(session: Stripe.Checkout.Session, already: boolean): string {
  if (session.mode !== 'payment') {
    return messagePage(
      'Payment details saved',
      already
        ? 'Your payment details have already been saved. You can close this page.'
        : 'Your payment details have been saved. You can close this page.',
    );
  }
  if (session.payment_status === 'paid') {
    return messagePage(
      'Payment received',
      already
        ? 'This payment has already been made. You can close this page.'
        : 'Thank you, your payment was received. You can close this page.',
    );
  }
  return messagePage(
    'Payment submitted',
    'Your bank debit is being processed. You will be notified when it completes. You can close this page.',
  );
}
