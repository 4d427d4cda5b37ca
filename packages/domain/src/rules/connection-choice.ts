import type { ValidationCode } from '../errors.js';
import type { StripeConnection } from '../model/stripe-connection.js';
import { err, ok, type Result } from '../result.js';

/**
 * A customer names its connection by code; the code may be omitted only when the organization
 * has exactly one connection.
 */
export function chooseConnection(
  connections: readonly StripeConnection[],
  code: string | null | undefined,
): Result<StripeConnection, ValidationCode> {
  if (code !== null && code !== undefined && code !== '') {
    const match = connections.find((c) => c.code === code);
    return match ? ok(match) : err('payment_provider_not_found');
  }
  const [only, ...others] = connections;
  if (!only) return err('payment_provider_not_found');
  if (others.length > 0) return err('payment_provider_code_missing');
  return ok(only);
}
