/** The invoice fields the rules read, as the API returns them. */
export interface InvoiceFacts {
  readonly status: string;
  readonly payment_status: string;
  readonly payment_dispute_lost_at: string | null;
  readonly total_amount_cents: number;
  readonly payment_waiting_reason?: string | null;
}

/** Whether a button is enabled, and if not, the sentence shown beside it. */
export type ActionState = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ok: ActionState = { allowed: true };
const no = (reason: string): ActionState => ({ allowed: false, reason });

/**
 * Mirrors the API's refusals so the user sees why before clicking; the API still decides, and
 * its error is shown if a forbidden action is posted anyway. `paymentInFlight` comes from the
 * invoice's latest payment (pending or processing at Stripe).
 */
export function invoiceActions(invoice: InvoiceFacts, paymentInFlight: boolean) {
  const disputeLost = invoice.payment_dispute_lost_at !== null;
  return {
    void: ((): ActionState => {
      if (invoice.status === 'voided') return no('Already voided.');
      if (invoice.status === 'draft') return no('A draft cannot be voided.');
      if (disputeLost) return no('The payment dispute was lost, so the invoice can no longer be voided.');
      if (invoice.payment_status === 'succeeded')
        return no('A paid invoice cannot be voided; issue a credit note.');
      if (paymentInFlight) return no(inFlightReason(invoice));
      return ok;
    })(),
    retryPayment: ((): ActionState => {
      if (invoice.status !== 'finalized') return no(`A ${invoice.status} invoice is not collected.`);
      if (disputeLost) return no('The payment dispute was lost, so the invoice cannot be collected again.');
      if (invoice.payment_status === 'succeeded') return no('Already paid.');
      if (paymentInFlight) return no(inFlightReason(invoice));
      if (invoice.total_amount_cents <= 0) return no('Nothing to collect.');
      return ok;
    })(),
    paymentLink: ((): ActionState => {
      if (invoice.status !== 'finalized') return no(`A ${invoice.status} invoice cannot be paid.`);
      if (invoice.payment_status === 'succeeded') return no('Already paid.');
      if (disputeLost) return no('The payment dispute was lost, so the invoice cannot be collected again.');
      // An open link is shown again; any other attempt in flight blocks a new one.
      if (paymentInFlight && invoice.payment_waiting_reason !== 'payment_link_open')
        return no('Stripe is still processing the current payment.');
      if (invoice.total_amount_cents <= 0) return no('Nothing to pay.');
      return ok;
    })(),
    creditNote: ((): ActionState => {
      if (invoice.status !== 'finalized')
        return no(`A credit note needs a finalized invoice (this one is ${invoice.status}).`);
      return ok;
    })(),
    credit: ((): ActionState => {
      if (invoice.payment_status !== 'succeeded') {
        return no('Only a paid invoice can be credited to the balance; deduct from the amount due instead.');
      }
      return ok;
    })(),
    offset: ((): ActionState => {
      if (invoice.payment_status === 'succeeded') return no('Nothing is due on a paid invoice.');
      return ok;
    })(),
    refund: ((): ActionState => {
      if (invoice.payment_status !== 'succeeded') return no('Only a paid invoice can be refunded.');
      if (disputeLost)
        return no('The payment dispute was lost: refunds to the payment method are not allowed.');
      return ok;
    })(),
    loseDispute: ((): ActionState => {
      if (disputeLost) return no('Already marked as a lost dispute.');
      if (invoice.status === 'draft') return no('A draft invoice cannot be disputed.');
      return ok;
    })(),
  };
}

function inFlightReason(invoice: InvoiceFacts): string {
  return invoice.payment_waiting_reason === 'payment_link_open'
    ? 'A payment link is open: the customer may be paying. Wait until it is paid or expires.'
    : 'Stripe is still processing the current payment.';
}
