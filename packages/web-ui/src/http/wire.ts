/** The parts of the API's JSON the pages read (Lago v1 shapes plus Payrail's Stripe connections). */
export interface Meta {
  readonly current_page: number;
  readonly next_page: number | null;
  readonly prev_page: number | null;
  readonly total_pages: number;
  readonly total_count: number;
}

export interface Fee {
  readonly lago_id: string;
  readonly amount_cents: number;
  readonly amount_currency: string;
  readonly units: string;
  readonly description: string | null;
  readonly item: { readonly code: string; readonly name: string };
}

export interface Invoice {
  readonly lago_id: string;
  readonly number: string;
  readonly issuing_date: string;
  readonly status: string;
  readonly payment_status: string;
  readonly payment_dispute_lost_at: string | null;
  /** Payrail addition: why a pending invoice is not being charged, null when nothing holds it back. */
  readonly payment_waiting_reason?: string | null;
  readonly currency: string;
  readonly total_amount_cents: number;
  readonly total_paid_amount_cents?: number;
  readonly total_due_amount_cents?: number;
  readonly voided_at?: string | null;
  readonly customer: { readonly external_id: string; readonly name: string | null };
  readonly fees?: readonly Fee[];
}

export interface CreditNote {
  readonly lago_id: string;
  readonly number: string;
}

/** `POST /invoices/{id}/payment_url`'s `invoice_payment_details`. */
export interface PaymentDetails {
  readonly lago_invoice_id: string;
  readonly payment_url: string;
  readonly expires_at: string;
}
