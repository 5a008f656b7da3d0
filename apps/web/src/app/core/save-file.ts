import { Injectable } from '@angular/core';
import type { ReceivedFile } from '@lexy/client-api';

/**
 * Saves a received file under its own name through an anchor's `download` attribute.
 * The whole file is held in memory (a Blob of its chunks) until then: fine for the sizes a
 * relayed transfer carries today; a later streaming save could write each chunk as it comes to
 * a file the person picked (the File System Access API's showSaveFilePicker / a writable stream)
 * or through a service worker's streamed download.
 */
@Injectable({ providedIn: 'root' })
export class FileSaver {
  save(file: ReceivedFile): void {
    const blob = new Blob(file.chunks as BlobPart[], { type: file.mimeType });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = file.name;
    anchor.hidden = true;
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    // The download has started from the URL; free it a little later, not at once.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
