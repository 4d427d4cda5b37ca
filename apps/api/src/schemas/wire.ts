import { z } from '@hono/zod-openapi';
import { PaginationMetaSchema } from './common.js';

export function single<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: schema } as Record<K, T>);
}

export function paginated<K extends string, T extends z.ZodType>(key: K, schema: T) {
  return z.object({ [key]: z.array(schema), meta: PaginationMetaSchema } as Record<K | 'meta', z.ZodType>);
}
