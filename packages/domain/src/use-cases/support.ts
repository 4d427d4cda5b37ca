import {
  conflict,
  type DomainError,
  invalidField,
  UniqueViolationError,
  type ValidationCode,
  VersionConflictError,
} from '../errors.js';
import { type EventCatalog, type EventType, makeEvent, type OutgoingEventOf } from '../events.js';
import type { Id } from '../model/common.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import type { GatewayError, PaymentGateway } from '../ports/payment-gateway.js';
import type { Tx } from '../ports/unit-of-work.js';
import { err, type Result } from '../result.js';
import type { UseCaseContext } from './context.js';
import { reportingRefusedKey } from './refused-key.js';

/**
 * Uniqueness the caller chose and can fix (a taken code); any other uniqueness rule (sequence
 * numbers, one attempt in flight, provider ids) is an internal race worth re-running.
 */
const USER_FACING_UNIQUE = new Set([
  'customer.external_id',
  'stripe_connection.code',
  'add_on.code',
  'webhook_endpoint.webhook_url',
]);

/** Carries an expected refusal out of a transaction so that it rolls back. */
class Refusal extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
  }
}

/**
 * Runs `fn` in one transaction. An `err` result rolls everything back; a lost optimistic race
 * becomes a retryable `conflict`; a broken uniqueness rule becomes `value_already_exist`.
 */
export async function inTx<T>(
  ctx: UseCaseContext,
  organizationId: Id | null,
  fn: (tx: Tx) => Promise<Result<T, DomainError>>,
): Promise<Result<T, DomainError>> {
  try {
    return await ctx.uow.run(organizationId, async (tx) => {
      const result = await fn(tx);
      if (!result.ok) throw new Refusal(result.error);
      return result;
    });
  } catch (error) {
    if (error instanceof Refusal) return err(error.error);
    if (error instanceof VersionConflictError) {
      return err(conflict(error.message, { entity: error.entity, id: error.id }));
    }
    if (error instanceof UniqueViolationError) {
      return USER_FACING_UNIQUE.has(`${error.entity}.${error.field}`)
        ? err(invalidField(error.field, 'value_already_exist'))
        : err(conflict(error.message, { entity: error.entity, field: error.field }));
    }
    throw error;
  }
}

export function newEvent<K extends EventType>(
  ctx: UseCaseContext,
  organizationId: Id,
  type: K,
  data: EventCatalog[K]['data'],
): OutgoingEventOf<K> {
  return makeEvent(type, { id: ctx.ids.next('event'), organizationId, occurredAt: ctx.clock.now() }, data);
}

/** The gateway of a stored connection; a refused key is announced with `payment_provider.error`. */
export function gatewayFor(ctx: UseCaseContext, connection: StripeConnection): PaymentGateway {
  const gateway = ctx.gateways.forConnection({
    connectionId: connection.id,
    secretKey: connection.secretKey,
  });
  return reportingRefusedKey(ctx, connection, gateway);
}

/** A provider failure surfaced to an API caller, in Lago's error vocabulary. */
export function gatewayFailure(error: GatewayError, connectionCode: string): DomainError {
  switch (error.code) {
    case 'retryable':
      return {
        kind: 'unavailable',
        code: error.reason === 'rate_limited' ? 'too_many_provider_requests' : 'provider_unavailable',
        message: error.message,
        retryable: true,
      };
    case 'invalid_credentials':
      return {
        kind: 'provider_unauthorized',
        code: 'provider_unauthorized',
        message: error.message,
        retryable: false,
      };
    case 'card_declined':
    case 'requires_action':
    case 'mandate_required':
    case 'invalid_request':
    case 'amount_too_small':
    case 'not_found': {
      const providerCode = 'providerCode' in error ? error.providerCode : error.code;
      return {
        kind: 'provider',
        code: 'provider_error',
        connectionCode,
        message: error.message,
        retryable: false,
        details: {
          code: providerCode,
          message: error.message,
          requestId: error.details?.requestId ?? null,
          httpStatus: error.details?.httpStatus ?? null,
          httpBody: error.details?.httpBody,
        },
      };
    }
  }
}

/** The provider's own code for a failure, or our domain word when it gave none. */
export function failureCode(error: GatewayError): string {
  if ('providerCode' in error && error.providerCode) return error.providerCode;
  return error.code;
}

export function checkRequired(
  value: string | null | undefined,
  field: string,
): Result<string, DomainError> | null {
  if (value === null || value === undefined || value.trim() === '')
    return err(invalidField(field, 'value_is_mandatory'));
  return null;
}

export function fieldError(field: string, code: ValidationCode): Result<never, DomainError> {
  return err(invalidField(field, code));
}
