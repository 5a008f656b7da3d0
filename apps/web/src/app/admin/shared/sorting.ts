import { signal } from '@angular/core';

export type SortOrder = 'asc' | 'desc';

export interface SortState<Key extends string> {
  sort: Key;
  order: SortOrder;
}

/**
 * A table's sort, by one of the API's allow-listed keys: a column's header button sorts by it,
 * a second press turns the order round. Each key starts in the order that reads best (newest
 * first, names A to Z).
 */
export class Sorting<Key extends string> {
  readonly state;

  constructor(
    initial: SortState<Key>,
    private readonly firstOrder: Readonly<Record<Key, SortOrder>>,
  ) {
    this.state = signal<SortState<Key>>(initial);
  }

  toggle(key: Key): void {
    this.state.update((current) =>
      current.sort === key
        ? { sort: key, order: current.order === 'asc' ? 'desc' : 'asc' }
        : { sort: key, order: this.firstOrder[key] },
    );
  }

  /** The column header's aria-sort. */
  ariaSort(key: Key): 'ascending' | 'descending' | 'none' {
    const { sort, order } = this.state();
    if (sort !== key) return 'none';
    return order === 'asc' ? 'ascending' : 'descending';
  }
}
