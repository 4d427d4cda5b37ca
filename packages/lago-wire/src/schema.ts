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
