import { err, ok, type Result } from '@payrail/domain';
import { isRecord, type JsonRecord, num, rec, str } from '../translate/records.js';

/** A Stripe event as plain data: what the inbox stores and the worker translates. */
export interface StripeWebhookEvent {
  readonly id: string;
  readonly type: string;
  /** Unix seconds, as Stripe sends it. */
  readonly created: number;
  /** The connected account (Connect only). */
  readonly account: string | null;
  readonly apiVersion: string | null;
  readonly livemode: boolean;
  readonly data: {
    readonly object: JsonRecord;
    /** Only on `*.updated` events: the old values of the fields that changed. */
    readonly previousAttributes: JsonRecord | null;
  };
}

export interface WebhookMalformed {
  readonly code: 'malformed';
  readonly message: string;
}

/** Parses an event body (already verified, or read back from the inbox). */
export function parseStripeEvent(body: string): Result<StripeWebhookEvent, WebhookMalformed> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return err({ code: 'malformed', message: 'The webhook body is not JSON.' });
  }
  if (!isRecord(json)) return err({ code: 'malformed', message: 'The webhook body is not a JSON object.' });
  const id = str(json, 'id');
  const type = str(json, 'type');
  const created = num(json, 'created');
  const data = rec(json, 'data');
  const object = data && rec(data, 'object');
  if (!id || !type || created === null || !data || !object) {
    return err({
      code: 'malformed',
      message: 'The webhook body is not a Stripe event (id, type, created and data.object are required).',
    });
  }
  if (str(json, 'object') === 'v2.core.event') {
    return err({ code: 'malformed', message: 'Thin (v2) events are not handled by this endpoint.' });
  }
  return ok({
    id,
    type,
    created,
    account: str(json, 'account'),
    apiVersion: str(json, 'api_version'),
    livemode: json.livemode === true,
    data: { object, previousAttributes: rec(data, 'previous_attributes') },
  });
}
