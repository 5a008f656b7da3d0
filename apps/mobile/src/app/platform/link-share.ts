import { Injectable, InjectionToken, inject } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { Share, type SharePlugin } from '@capacitor/share';
import { NATIVE_PLATFORM } from './native-platform';

/** What became of a share: the sheet took it, the link was copied instead, or the person closed the sheet. */
export type ShareOutcome = 'shared' | 'copied' | 'dismissed';

export const SHARE_PLUGIN = new InjectionToken<Pick<SharePlugin, 'share'>>('SHARE_PLUGIN', {
  providedIn: 'root',
  factory: () => Share,
});

/** The browser's Web Share API where it has one (tests replace it). */
export const WEB_SHARE = new InjectionToken<((data: ShareData) => Promise<void>) | null>('WEB_SHARE', {
  providedIn: 'root',
  factory: () => (typeof navigator !== 'undefined' && navigator.share ? (data) => navigator.share(data) : null),
});

/**
 * Hands a pickup link to the system share sheet: the Share plugin on a phone, the Web Share API
 * in a browser that has it, otherwise the clipboard (and the caller says so).
 */
@Injectable({ providedIn: 'root' })
export class LinkShare {
  private readonly native = inject(NATIVE_PLATFORM) !== null;
  private readonly plugin = inject(SHARE_PLUGIN);
  private readonly webShare = inject(WEB_SHARE);
  private readonly clipboard = inject(Clipboard);

  async share(url: string, title: string): Promise<ShareOutcome> {
    try {
      if (this.native) {
        await this.plugin.share({ url, title, dialogTitle: title });
        return 'shared';
      }
      if (this.webShare) {
        await this.webShare({ url, title });
        return 'shared';
      }
    } catch (error) {
      if (isDismissal(error)) return 'dismissed';
      // A sheet that failed otherwise (no share targets, not allowed here): the clipboard still works.
    }
    if (!this.clipboard.copy(url)) throw new Error('The link could not be copied');
    return 'copied';
  }
}

/** Closing the sheet rejects: "Share canceled" from the plugin, an AbortError from the browser. */
function isDismissal(error: unknown): boolean {
  if (error instanceof DOMException) return error.name === 'AbortError';
  return error instanceof Error && /cancel/i.test(error.message);
}
