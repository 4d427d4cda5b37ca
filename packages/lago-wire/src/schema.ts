import { z } from 'zod';

/**
 * Building blocks of the response schemas. Their `meta` (`id`, `description`, `example`) is what
 * the API's OpenAPI document shows; `id` names a component.
 */
export const timestamp = z.string().meta({ example: '2026-11-26T10:11:12Z' });
export const nullableString = z.string().nullable();
/** Lists Lago returns that Payrail always leaves empty (taxes, integrations, custom sections). */
export const emptyList = z.array(z.unknown());

/** Lago casts numeric strings; anything else is refused as out of range by the domain's rule. */
export const cents = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d{1,15}$/)
    .transform(Number),
]);

/** A query filter that Lago accepts as a scalar or as `key[]`. */
export const scalarOrArray = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** `true` or `false` in a query string. */
export const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Integer cents sent as a query string. */
export const centsString = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/** A real calendar day (`2026-02-30` is refused here rather than by PostgreSQL). */
export const dateString = z.string().refine((v) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const day = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(v);
}, 'invalid_date');
