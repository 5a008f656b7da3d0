import { Injectable, InjectionToken, inject } from '@angular/core';
import {
  CapacitorShareTarget,
  type CapacitorShareTargetPlugin,
  type ShareReceivedEvent,
} from '@capgo/capacitor-share-target';
import { NATIVE_FILE_READER, rebuildFile, type NativeFileReader, type PickedFile } from './native-file';
import { NATIVE_PLATFORM } from './native-platform';

/** The share-target plugin, or null in a browser, where nothing can be shared to the app. */
export const SHARE_TARGET_PLUGIN = new InjectionToken<Pick<CapacitorShareTargetPlugin, 'addListener'> | null>(
  'SHARE_TARGET_PLUGIN',
  { providedIn: 'root', factory: () => (inject(NATIVE_PLATFORM) ? CapacitorShareTarget : null) },
);

/** What arrived in one share: the files that could be read, and how many could not. */
export interface SharedFiles {
  files: PickedFile[];
  unreadable: number;
}

/**
 * Files shared to the app from other apps ("Share → Lexy Files"). The plugin keeps a share that
 * launched the app until a listener is there, so a cold start loses nothing.
 */
@Injectable({ providedIn: 'root' })
export class ShareTargetInbox {
  private readonly plugin = inject(SHARE_TARGET_PLUGIN);
  private readonly read = inject(NATIVE_FILE_READER);

  /** Calls `onShared` for each share with files, until the returned function is called. */
  listen(onShared: (shared: SharedFiles) => void): () => void {
    if (!this.plugin) return () => undefined;
    const listening = this.plugin.addListener('shareReceived', (event) => {
      void sharedFiles(event, this.read).then((shared) => {
        if (shared.files.length > 0 || shared.unreadable > 0) onShared(shared);
      });
    });
    return () => void listening.then((handle) => handle.remove()).catch(() => undefined);
  }
}

/**
 * The files of a share, read from where the plugin put them (a copy in the app's cache on
 * Android, a path or data URL on iOS). Texts are not files and are left out. A share has no
 * modification time, so the time of arrival stands in; it is recorded with the upload.
 */
export async function sharedFiles(
  event: ShareReceivedEvent,
  read: NativeFileReader,
  now: () => number = Date.now,
): Promise<SharedFiles> {
  const results = await Promise.allSettled(
    (event.files ?? []).map(async (shared): Promise<PickedFile> => {
      const bytes = await read(shared.uri);
      const type = shared.mimeType || bytes.type || 'application/octet-stream';
      const file = rebuildFile(bytes, shared.name || 'shared-file', type, now());
      return { file, nativePath: shared.uri.startsWith('data:') ? null : shared.uri };
    }),
  );
  const files = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  return { files, unreadable: results.length - files.length };
}
