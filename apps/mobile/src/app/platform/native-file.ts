import { InjectionToken } from '@angular/core';
import { Capacitor } from '@capacitor/core';

/**
 * A file the person chose, with where its bytes live on the phone (a path the app can read
 * again after a restart), or null when there is no such path (a browser, a data URL).
 */
export interface PickedFile {
  file: File;
  nativePath: string | null;
}

/** Reads a file on the phone by its path or URI, through the web view's local server. */
export type NativeFileReader = (path: string) => Promise<Blob>;

export const NATIVE_FILE_READER = new InjectionToken<NativeFileReader>('NATIVE_FILE_READER', {
  providedIn: 'root',
  factory: () => readNativeFile,
});

async function readNativeFile(path: string): Promise<Blob> {
  // convertFileSrc turns file paths and content:// URIs into URLs the web view may fetch; data URLs stay as they are.
  const response = await fetch(Capacitor.convertFileSrc(path));
  if (!response.ok) throw new Error(`The file could not be read (${response.status})`);
  return response.blob();
}

/** A File with the given identity, so that tus-js-client's fingerprint (name, type, size, lastModified) stays the same. */
export function rebuildFile(bytes: Blob, name: string, type: string, lastModified: number): File {
  return new File([bytes], name, { type, lastModified });
}
