import { DestroyRef, inject, Injectable, InjectionToken, signal } from '@angular/core';
import { App } from '@capacitor/app';
import { IS_NATIVE } from './native-platform';

/** The part of @capacitor/app this needs, so that tests can stand in for it. */
export interface AppStatePlugin {
  getState(): Promise<{ isActive: boolean }>;
  addListener(
    event: 'appStateChange',
    listener: (state: { isActive: boolean }) => void,
  ): Promise<{ remove(): Promise<void> }>;
}

export const APP_STATE_PLUGIN = new InjectionToken<AppStatePlugin>('APP_STATE_PLUGIN', {
  providedIn: 'root',
  factory: () => App,
});

/**
 * Whether the person is looking at the app: on a phone the app's foreground state
 * (@capacitor/app), in a browser the page's visibility.
 */
@Injectable({ providedIn: 'root' })
export class AppActivity {
  readonly active = signal(true);

  constructor() {
    const destroyRef = inject(DestroyRef);
    if (inject(IS_NATIVE)) {
      const plugin = inject(APP_STATE_PLUGIN);
      void plugin.getState().then(({ isActive }) => this.active.set(isActive));
      const listening = plugin.addListener('appStateChange', ({ isActive }) => this.active.set(isActive));
      destroyRef.onDestroy(() => void listening.then((handle) => handle.remove()));
    } else {
      const seen = () => this.active.set(globalThis.document?.visibilityState !== 'hidden');
      seen();
      globalThis.document?.addEventListener('visibilitychange', seen);
      destroyRef.onDestroy(() => globalThis.document?.removeEventListener('visibilitychange', seen));
    }
  }
}
