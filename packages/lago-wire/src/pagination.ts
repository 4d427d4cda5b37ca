export interface LagoPaginationMeta {
  readonly current_page: number;
  readonly next_page: number | null;
  readonly prev_page: number | null;
  readonly total_pages: number;
  readonly total_count: number;
}

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
