import { UniqueViolationError, VersionConflictError } from '@payrail/domain';

/** Which domain field each unique constraint protects, named as Lago reports it. */
const UNIQUE_CONSTRAINTS: Readonly<Record<string, { entity: string; field: string }>> = {
  customers_org_external_id_unique: { entity: 'customer', field: 'external_id' },
  customers_org_sequential_id_unique: { entity: 'customer', field: 'sequential_id' },
  stripe_connections_org_code_unique: { entity: 'stripe_connection', field: 'code' },
  add_ons_org_code_unique: { entity: 'add_on', field: 'code' },
  payment_methods_customer_provider_unique: { entity: 'payment_method', field: 'provider_payment_method_id' },
  invoices_customer_sequential_id_unique: { entity: 'invoice', field: 'sequential_id' },
  payments_one_in_flight_per_invoice: { entity: 'payment', field: 'invoice_id' },
  payments_connection_provider_payment_unique: { entity: 'payment', field: 'provider_payment_id' },
  credit_notes_invoice_sequential_id_unique: { entity: 'credit_note', field: 'sequential_id' },
  refunds_credit_note_id_unique: { entity: 'refund', field: 'credit_note_id' },
  refunds_provider_refund_unique: { entity: 'refund', field: 'provider_refund_id' },
  webhook_endpoints_org_url_unique: { entity: 'webhook_endpoint', field: 'webhook_url' },
  api_idempotency_records_org_key_unique: { entity: 'idempotency_record', field: 'key' },
  api_keys_key_hash_unique: { entity: 'api_key', field: 'key' },
};

interface PgErrorShape {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly table?: unknown;
}

export interface WriteTarget {
  readonly entity: string;
  readonly id: string;
  readonly version: number;
}

/**
 * Turns a constraint violation from a write into the domain's error, so callers never see a raw
 * database error for a rule the data enforces:
 * - unique violation: `UniqueViolationError(entity, field)` (the API answers 422
 *   `value_already_exist`); a duplicate primary key is reported on `id`.
 * - foreign-key violation: the row it points at vanished or is still referenced, which only
 *   happens when another transaction changed it meanwhile, so it is a `VersionConflictError`:
 *   re-running the use case reads the new state.
 * Anything else is returned unchanged (a defect).
 */
export function translateWriteError(error: unknown, target: WriteTarget): unknown {
  const pg = error as PgErrorShape;
  const constraint = typeof pg.constraint === 'string' ? pg.constraint : '';
  if (pg.code === '23505') {
    const known = UNIQUE_CONSTRAINTS[constraint];
    if (known !== undefined) return new UniqueViolationError(known.entity, known.field);
    return new UniqueViolationError(target.entity, constraint.endsWith('_pkey') ? 'id' : 'base');
  }
  if (pg.code === '23503') return new VersionConflictError(target.entity, target.id, target.version);
  return error;
}

export async function guardWrite<T>(target: WriteTarget, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw translateWriteError(error, target);
  }
}
