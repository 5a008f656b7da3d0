import { DestroyRef, effect, inject, signal, untracked, type Signal } from '@angular/core';

/** How long a search box waits after the last key before it asks the server. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * `source`, but changing only once it has stood still for `ms` (call in an injection context).
 * The value it starts with (a filter from the URL, set before the first render) counts at once.
 */
export function debounced<T>(source: Signal<T>, ms = SEARCH_DEBOUNCE_MS): Signal<T> {
  const settled = signal(untracked(source));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  effect(() => {
    const value = source();
    clearTimeout(timer);
    if (first) settled.set(value);
    else timer = setTimeout(() => settled.set(value), ms);
    first = false;
  });
  inject(DestroyRef).onDestroy(() => clearTimeout(timer));
  return settled.asReadonly();
}
