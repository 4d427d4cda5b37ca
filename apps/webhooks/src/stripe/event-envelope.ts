/** The few fields of a Stripe event the receiver needs before it stores the event. */
export interface EventEnvelope {
  readonly id: string;
  readonly type: string;
  readonly createdAt: Date;
  readonly payload: Record<string, unknown>;
}

/**
 * Accepts a v1 snapshot event (`object: "event"`) with an id, a type and a creation time. A body
 * that parses but is something else (a thin v2 event, an array, a bare object) is not an event.
 */
export function parseEventEnvelope(rawBody: Uint8Array): EventEnvelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const event = parsed as Record<string, unknown>;
  const { id, type, created, object } = event;
  if (object !== 'event') return null;
  if (typeof id !== 'string' || !/^evt_[A-Za-z0-9_]{1,250}$/.test(id)) return null;
  if (typeof type !== 'string' || type.length === 0 || type.length > 200) return null;
  if (typeof created !== 'number' || !Number.isInteger(created) || created < 0) return null;
  if (typeof event.data !== 'object' || event.data === null) return null;
  return { id, type, createdAt: new Date(created * 1000), payload: event };
}
