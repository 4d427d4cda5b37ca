import type { Context } from 'hono';
import type { FormFields } from './env.js';

/**
 * Largest form body the UI accepts (413 above, before it is read). Its largest form, a customer's,
 * has five text fields of at most 255 characters: under 12 KB even when every character is
 * non-ASCII and percent-encoded (9 bytes each).
 */
export const MAX_FORM_BYTES = 32 * 1024;

/** The posted form, once the body limit has let it through; null when it is not a form. */
export async function readForm(c: Context): Promise<FormFields | null> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  const text = await c.req.text();
  const out = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}
