import type { ApiErrorBody } from './api-client.js';

/** Plain-language text for Lago's error codes the UI can meet; unknown codes fall back to the code. */
const CODE_TEXT: Readonly<Record<string, string>> = {
  not_voidable: 'This invoice cannot be voided (it is a draft, already voided, or its dispute was lost).',
  invalid_status: 'The invoice is not in a state that allows this (draft, voided, or already paid).',
  payment_processor_is_currently_handling_payment:
    'Stripe is still processing a payment for this invoice. Wait for it to settle, then try again.',
  not_disputable: 'A draft invoice cannot be marked as a lost dispute.',
  invoice_dispute_lost: 'The payment dispute was lost, so this is no longer allowed.',
  invalid_type_or_status: 'A credit note cannot be issued for this invoice in its current state.',
  no_voidable_amount: 'There is nothing left to void.',
  update_on_voided_invoice: 'A voided invoice cannot be changed.',
};

const DETAIL_TEXT: Readonly<Record<string, string>> = {
  value_is_mandatory: 'is required',
  value_already_exist: 'is already used',
  value_is_invalid: 'is not valid',
  value_is_out_of_range: 'is out of range',
  url_is_invalid: 'must be a URL that begins with http:// or https://',
  invalid_value: 'is not valid',
  payment_provider_not_found: 'no Stripe connection has this code',
  payment_provider_code_missing: 'choose which Stripe connection to use',
  no_linked_payment_provider: 'the customer is not linked to Stripe yet',
  no_payment_methods_to_setup_available: 'none of the chosen payment methods needs a checkout',
  no_compatible_payment_method: "none of the chosen payment methods can charge the customer's currency",
  missing_country: "a EUR bank transfer needs the customer's country to be one of BE, DE, ES, FR, IE or NL",
  cannot_refund_unpaid_invoice: 'cannot refund an invoice that is not paid',
  cannot_refund_disputed_invoice: 'cannot refund: the payment dispute was lost',
  cannot_credit_invoice: 'only a paid invoice can be credited to the balance',
  higher_than_remaining_fee_amount: 'is higher than what remains on the fee',
  higher_than_remaining_invoice_amount: 'is higher than what remains on the invoice',
  does_not_match_item_amounts: 'credit, refund and offset must add up to the items',
  invalid_count: 'has too many entries',
  invalid_credentials: 'was not accepted by Stripe',
};

function humanField(field: string): string {
  return field === 'base' ? '' : `${field.replace(/_/g, ' ')}: `;
}

/** One line per problem, ready to list under a form. */
export function describeApiError(error: ApiErrorBody): string[] {
  if (error.status === 401)
    return [error.error && error.error !== 'Unauthorized' ? error.error : 'The API key was not accepted.'];
  const lines: string[] = [];
  if (typeof error.message === 'string' && error.message) lines.push(error.message);
  const details = error.error_details ?? {};
  if (error.code === 'provider_error' && typeof details.message === 'string')
    lines.push(`Stripe: ${details.message}`);
  else if (error.code === 'third_party_error' && typeof details.thirdparty_error === 'string') {
    lines.push(`Stripe: ${details.thirdparty_error}`);
  } else if (error.code === 'too_many_provider_requests') {
    lines.push('Stripe is rate-limiting requests. Try again in a moment.');
  } else {
    for (const [field, value] of Object.entries(details)) {
      const codes = Array.isArray(value) ? value : [value];
      for (const code of codes) {
        const text =
          typeof code === 'string' ? (DETAIL_TEXT[code] ?? code.replace(/_/g, ' ')) : JSON.stringify(code);
        lines.push(`${humanField(field)}${text}`);
      }
    }
  }
  if (error.code && CODE_TEXT[error.code]) lines.push(CODE_TEXT[error.code] as string);
  if (lines.length === 0) {
    lines.push(`${error.error ?? 'Request failed'}${error.code ? ` (${error.code})` : ''}`);
  }
  return [...new Set(lines)];
}
