import type { Context } from 'hono';
import type { FormFields } from './env.js';

/** Largest form the UI accepts; its forms are a few short fields. */
const MAX_FORM_BYTES = 64 * 1024;

export async function readForm(c: Context): Promise<FormFields | null> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  const text = await c.req.text();
  if (text.length > MAX_FORM_BYTES) return null;
  const out = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}
