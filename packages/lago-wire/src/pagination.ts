import { z } from 'zod';

/** Lago's `meta` of every list. */
export const PaginationMetaSchema = z
  .object({
    current_page: z.number().int(),
    next_page: z.number().int().nullable(),
    prev_page: z.number().int().nullable(),
    total_pages: z.number().int(),
    total_count: z.number().int(),
  })
  .meta({ id: 'PaginationMeta' });
export type LagoPaginationMeta = z.output<typeof PaginationMetaSchema>;

export interface PageRequest {
  /** 1-based. */
  readonly page: number;
  readonly perPage: number;
}

/** Lago's default and ceiling for `per_page`. */
export const DEFAULT_PER_PAGE = 100;

/**
 * Lago's `meta`. With no results at all it answers `current_page: 0, total_pages: 0` (a Kaminari
 * quirk clients have seen for years), so that is reproduced here.
 */
export function paginationMeta(request: PageRequest, totalCount: number): LagoPaginationMeta {
  if (totalCount === 0) {
    return { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 };
  }
  const totalPages = Math.ceil(totalCount / request.perPage);
  const current = request.page;
  return {
    current_page: current,
    next_page: current < totalPages ? current + 1 : null,
    prev_page: current > 1 ? Math.min(current - 1, totalPages) : null,
    total_pages: totalPages,
    total_count: totalCount,
  };
}
