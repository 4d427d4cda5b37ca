/** Which page of a list: 1-based, as Lago counts. */
export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

/** One page of a list and the size of the whole list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
}
