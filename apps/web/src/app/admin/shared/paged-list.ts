import { computed, signal } from '@angular/core';

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * One admin list, a page at a time: the cursors of the pages seen so far make Previous work
 * (the API's cursors only go forward), and an answer that arrives after a newer request
 * (filters typed quickly) is dropped.
 */
export class PagedList<Item> {
  /** Null until the first page has arrived. */
  readonly items = signal<Item[] | null>(null);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);
  /** The cursor of every page up to the one shown (undefined for the first). */
  private readonly cursors = signal<(string | undefined)[]>([undefined]);
  private readonly nextCursor = signal<string | null>(null);
  readonly pageNumber = computed(() => this.cursors().length);
  readonly hasPrevious = computed(() => this.cursors().length > 1);
  readonly hasNext = computed(() => this.nextCursor() !== null);
  private latest = 0;

  constructor(
    private readonly fetchPage: (cursor: string | undefined) => Promise<Page<Item>>,
    private readonly describe: (error: unknown) => string,
  ) {}

  /** The first page, for new filters or a new sort (a cursor is valid only with the same ones). */
  first(): Promise<void> {
    return this.show([undefined]);
  }

  /** The page shown, asked again. */
  reload(): Promise<void> {
    return this.show(this.cursors());
  }

  next(): Promise<void> {
    const cursor = this.nextCursor();
    return cursor === null ? Promise.resolve() : this.show([...this.cursors(), cursor]);
  }

  previous(): Promise<void> {
    return this.hasPrevious() ? this.show(this.cursors().slice(0, -1)) : Promise.resolve();
  }

  /** Changes the rows shown without asking the server (an edit it has confirmed, or an optimistic one). */
  update(change: (items: Item[]) => Item[]): void {
    this.items.update((items) => (items === null ? null : change(items)));
  }

  private async show(cursors: (string | undefined)[]): Promise<void> {
    const request = ++this.latest;
    this.loading.set(true);
    try {
      const page = await this.fetchPage(cursors.at(-1));
      if (request !== this.latest) return;
      this.cursors.set(cursors);
      this.items.set(page.items);
      this.nextCursor.set(page.nextCursor);
      this.error.set(null);
    } catch (error) {
      if (request === this.latest) this.error.set(this.describe(error));
    } finally {
      if (request === this.latest) this.loading.set(false);
    }
  }
}
