import { Injectable } from '@angular/core';
import type { ReceivedFile } from '@lexy/client-api';

/**
 * Hands files to the browser's downloads. The mobile app provides its own, which writes to the
 * device's storage instead (an anchor's `download` does nothing in a native web view).
 */
@Injectable({ providedIn: 'root' })
export class FileSaver {
  /**
   * Saves a relayed file under its own name. The whole file is held in memory (a Blob of its
   * chunks) until then: fine for the sizes a relayed transfer carries today; a later streaming
   * save could write each chunk as it comes to a file the person picked (the File System Access
   * API's showSaveFilePicker / a writable stream) or through a service worker's streamed download.
   */
  save(file: ReceivedFile): void | Promise<void> {
    const blob = new Blob(file.chunks as BlobPart[], { type: file.mimeType });
    const url = URL.createObjectURL(blob);
    this.clickDownload(url, file.name);
    // The download has started from the URL; free it a little later, not at once.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** Downloads what a URL answers (a pickup), streamed by the browser straight to disk. */
  saveFromUrl(url: string, fileName: string): void | Promise<void> {
    this.clickDownload(url, fileName);
  }

  private clickDownload(url: string, fileName: string): void {
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    anchor.hidden = true;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  }
}
