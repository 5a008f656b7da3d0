import { signal } from '@angular/core';

/**
 * What the last action on a page came to: a confirmation (a polite status message) or a
 * failure (an alert). One at a time; a new action replaces the last one's words.
 */
export class Outcome {
  readonly done = signal<string | null>(null);
  readonly failed = signal<string | null>(null);

  succeed(text: string): void {
    this.failed.set(null);
    this.done.set(text);
  }

  fail(text: string): void {
    this.done.set(null);
    this.failed.set(text);
  }

  clear(): void {
    this.done.set(null);
    this.failed.set(null);
  }
}
