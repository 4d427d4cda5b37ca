/** Readers for Stripe JSON seen as plain records (webhook payloads are not typed by the SDK here). */
export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(record: JsonRecord, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(record: JsonRecord, key: string): number | null {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function rec(record: JsonRecord, key: string): JsonRecord | null {
  const value = record[key];
  return isRecord(value) ? value : null;
}

/** An expandable field: the id whether Stripe sent the id or the expanded object. */
export function idOf(record: JsonRecord, key: string): string | null {
  const value = record[key];
  if (typeof value === 'string') return value || null;
  return isRecord(value) ? str(value, 'id') : null;
}

export function stringMap(record: JsonRecord, key: string): Readonly<Record<string, string>> {
  const value = rec(record, key);
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
