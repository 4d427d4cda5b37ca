import type { DomainError } from '../../errors.js';
import type { StripeConnection } from '../../model/stripe-connection.js';
import type { GatewayError, PaymentGateway } from '../../ports/payment-gateway.js';
import { reportingRefusedKey } from './report-refused-key.js';
import type { UseCaseContext } from './use-case-context.js';

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
