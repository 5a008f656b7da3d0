// Helpers of the admin pages' unit tests (imported by specs only, so never bundled).
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { UserView } from '@lexy/client-api';
import { API_CLIENT, SessionStore } from '@lexy/client-state';
import { ADMIN_API } from '../admin-api';

/**
 * jsdom has <dialog> without showModal and close: these do what a browser does, minus the
 * inert page behind (focus goes to the element with autofocus, close fires "close").
 */
export function polyfillDialog(): void {
  const prototype = HTMLDialogElement.prototype as Partial<HTMLDialogElement>;
  prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
    this.querySelector<HTMLElement>('[autofocus]')?.focus();
  };
  prototype.close ??= function (this: HTMLDialogElement) {
    if (!this.open) return;
    this.open = false;
    this.dispatchEvent(new Event('close'));
  };
}

export const ADMIN_USER: UserView = {
  id: 'admin-1',
  email: 'root@example.test',
  displayName: null,
  group: 'admin',
  createdAt: '2026-01-01T00:00:00Z',
};

/**
 * A TestBed with an admin signed in and `api` as the admin client; the app's own client
 * (the session watch's /auth/me) is `client`, by default one that never answers.
 */
export function adminTestBed(
  api: object,
  user: UserView = ADMIN_USER,
  client: object = { me: () => new Promise(() => {}) },
): void {
  localStorage.clear();
  TestBed.configureTestingModule({
    providers: [provideRouter([]), { provide: ADMIN_API, useValue: api }, { provide: API_CLIENT, useValue: client }],
  });
  TestBed.inject(SessionStore).start({ user, accessToken: 'access', refreshToken: 'refresh', expiresIn: 900 });
}

/** The button, select or link named `name` (its aria-label or its text). */
export function control<T extends HTMLElement>(root: HTMLElement, selector: string, name: string): T | null {
  return (
    [...root.querySelectorAll<T>(selector)].find(
      (each) => (each.getAttribute('aria-label') ?? each.textContent ?? '').trim() === name,
    ) ?? null
  );
}

/** Chooses `value` in a select, as a person does. */
export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

/** Types `text` into an input, as a person does. */
export function type(input: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input'));
}

/** Lets the page's requests answer and the view catch up (the fakes answer in a microtask). */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
