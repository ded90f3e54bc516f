/**
 * One page of a listing (prediction sets, predictions, played tickets): what the store returns and
 * the interfaces print or send.
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly offset: number;
  readonly limit: number;
  /** True when more items follow this page (fetched with limit + 1). */
  readonly hasMore: boolean;
}
