/**
 * The domain's error vocabulary. Kinds map one-to-one to Lago's HTTP error shapes
 * (not_found 404, not_allowed 405, validation 422, provider/third_party 422, rate_limited 429,
 * provider_unauthorized 401); `conflict` and `unavailable` are transient and worth a retry.
 */
export type NotFoundResource =
  | 'organization'
  | 'stripe_connection'
  | 'customer'
  | 'payment_method'
  | 'add_on'
  | 'invoice'
  | 'fee'
  | 'fees'
  | 'payment'
  | 'credit_note'
  | 'refund'
  | 'payment_request';

export type NotAllowedCode =
  | 'not_voidable'
  | 'invalid_status'
  | 'payment_processor_is_currently_handling_payment'
  | 'invoice_dispute_lost'
  | 'not_disputable'
  | 'invalid_type_or_status'
  | 'update_on_voided_invoice'
  | 'no_voidable_amount'
  | 'stripe_connection_in_use'
  | 'invoices_not_overdue'
  | 'invoices_have_different_currencies'
  | 'invoices_not_ready_for_payment_processing';

export type ValidationCode =
  | 'value_is_mandatory'
  | 'value_already_exist'
  | 'value_is_invalid'
  | 'invalid_value'
  | 'value_is_out_of_range'
  | 'value_is_too_long'
  | 'url_is_invalid'
  | 'payment_provider_not_found'
  | 'payment_provider_code_missing'
  | 'no_linked_payment_provider'
  | 'missing_payment_provider'
  | 'missing_payment_provider_customer'
  | 'invalid_invoice_status_or_payment_status'
  | 'amount_below_provider_minimum'
  | 'no_payment_methods_to_setup_available'
  | 'no_compatible_payment_method'
  | 'missing_country'
  | 'currencies_does_not_match'
  | 'does_not_match_item_amounts'
  | 'cannot_refund_unpaid_invoice'
  | 'cannot_refund_disputed_invoice'
  | 'higher_than_remaining_invoice_amount'
  | 'higher_than_remaining_fee_amount'
  | 'invalid_credentials'
  | 'invalid_email_format'
  | 'cannot_credit_invoice'
  | 'invalid_count';

/** Field name (snake_case, as Lago reports it) or `base` → error codes. */
export type ValidationDetails = Readonly<Record<string, readonly ValidationCode[]>>;

export interface ProviderErrorDetails {
  readonly code: string | null;
  readonly message: string;
  readonly requestId?: string | null;
  readonly httpStatus?: number | null;
  readonly httpBody?: unknown;
}

export type DomainError =
  | {
      readonly kind: 'not_found';
      readonly code: `${NotFoundResource}_not_found`;
      readonly resource: NotFoundResource;
      readonly message: string;
      readonly retryable: false;
      readonly context?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'not_allowed';
      readonly code: NotAllowedCode;
      readonly message: string;
      readonly retryable: false;
      readonly context?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'validation';
      readonly code: 'validation_errors';
      readonly details: ValidationDetails;
      readonly message: string;
      readonly retryable: false;
    }
  | {
      /** A synchronous provider refusal: Lago's 422 `provider_error`. */
      readonly kind: 'provider';
      readonly code: 'provider_error';
      readonly connectionCode: string;
      readonly details: ProviderErrorDetails;
      readonly message: string;
      readonly retryable: false;
    }
  | {
      /** Lago's 401 carrying the provider's message: the stored key no longer works. */
      readonly kind: 'provider_unauthorized';
      readonly code: 'provider_unauthorized';
      readonly message: string;
      readonly retryable: false;
    }
  | {
      /** Lago's 422 `third_party_error` (e.g. checkout session creation failed). */
      readonly kind: 'third_party';
      readonly code: 'third_party_error';
      readonly message: string;
      readonly retryable: false;
    }
  | {
      /** The provider is rate limiting, down or unreachable: try again later, same idempotency key. */
      readonly kind: 'unavailable';
      readonly code: 'too_many_provider_requests' | 'provider_unavailable';
      readonly message: string;
      readonly retryable: true;
    }
  | {
      /** An optimistic-concurrency race was lost; re-running the use case is safe. */
      readonly kind: 'conflict';
      readonly code: 'conflict';
      readonly message: string;
      readonly retryable: true;
      readonly context?: Readonly<Record<string, unknown>>;
    };

export type DomainErrorKind = DomainError['kind'];

export function notFound(resource: NotFoundResource, context?: Record<string, unknown>): DomainError {
  return {
    kind: 'not_found',
    code: `${resource}_not_found`,
    resource,
    message: `${resource.replaceAll('_', ' ')} not found`,
    retryable: false,
    ...(context ? { context } : {}),
  };
}

export function notAllowed(
  code: NotAllowedCode,
  message: string,
  context?: Record<string, unknown>,
): DomainError {
  return { kind: 'not_allowed', code, message, retryable: false, ...(context ? { context } : {}) };
}

export function validation(details: ValidationDetails, message?: string): DomainError {
  return {
    kind: 'validation',
    code: 'validation_errors',
    details,
    message:
      message ??
      Object.entries(details)
        .map(([field, codes]) => `${field}: ${codes.join(', ')}`)
        .join('; '),
    retryable: false,
  };
}

export function invalidField(field: string, code: ValidationCode): DomainError {
  return validation({ [field]: [code] });
}

export function conflict(message: string, context?: Record<string, unknown>): DomainError {
  return { kind: 'conflict', code: 'conflict', message, retryable: true, ...(context ? { context } : {}) };
}

/**
 * Thrown by repositories when `update` finds a different `version` than the one read
 * (or `insert` hits a uniqueness rule). `UnitOfWork.run` rolls back; use cases turn it into a
 * `conflict` (or a `value_already_exist` validation error) value.
 */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly expectedVersion: number,
  ) {
    super(`${entity} ${id} changed concurrently (expected version ${expectedVersion})`);
  }
}

/** Thrown by repositories when an insert or update breaks a uniqueness rule (e.g. connection code). */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';
  constructor(
    readonly entity: string,
    /** The snake_case field Lago would name in `error_details`, e.g. `code` or `external_id`. */
    readonly field: string,
  ) {
    super(`${entity}.${field} already exists`);
  }
}
