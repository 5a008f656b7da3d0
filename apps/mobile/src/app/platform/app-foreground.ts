import { Injectable, InjectionToken, inject } from '@angular/core';
import { App, type AppPlugin } from '@capacitor/app';

export const APP_PLUGIN = new InjectionToken<Pick<AppPlugin, 'addListener'>>('APP_PLUGIN', {
  providedIn: 'root',
  factory: () => App,
});

/** The window, for its `online` event (tests replace it). */
export const APP_WINDOW = new InjectionToken<Pick<Window, 'addEventListener' | 'removeEventListener'>>('APP_WINDOW', {
  providedIn: 'root',
  factory: () => window,
});

/**
 * Tells when the app is back in front (the App plugin's appStateChange: on a phone from the OS,
 * in a browser from the page's visibility) or the device is back online: the moments an upload
 * the network interrupted can go on.
 */
@Injectable({ providedIn: 'root' })
export class AppForeground {
  private readonly app = inject(APP_PLUGIN);
  private readonly window = inject(APP_WINDOW);

  /** Calls `handler` at each such moment until the returned function is called. */
  watch(handler: () => void): () => void {
    let stopped = false;
    const online = () => handler();
    this.window.addEventListener('online', online);
    const listening = this.app.addListener('appStateChange', ({ isActive }) => {
      if (isActive && !stopped) handler();
    });
    return () => {
      stopped = true;
      this.window.removeEventListener('online', online);
      void listening.then((handle) => handle.remove()).catch(() => undefined);
    };
  }
}
