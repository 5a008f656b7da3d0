import { Injectable } from '@angular/core';
import { Capacitor } from '@capacitor/core';
import { FileTransfer } from '@capacitor/file-transfer';
import { Directory, Filesystem } from '@capacitor/filesystem';
import type { ReceivedFile } from '@lexy/client-api';
import { FileSaver } from '@lexy/client-state';

/** A file name safe to write: no path separators, no leading dots, never empty. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '');
  return cleaned.slice(0, 200) || 'file';
}

/**
 * Saves files into the app's Documents folder on a phone (visible in the Files app on iOS and
 * through the app's storage on Android). A pickup is downloaded natively, streamed to disk by
 * the file-transfer plugin, never through the web view. In a browser it falls back to the web
 * app's downloads.
 */
@Injectable()
export class DeviceFileSaver extends FileSaver {
  override async save(file: ReceivedFile): Promise<void> {
    if (!Capacitor.isNativePlatform()) return super.save(file);
    const blob = new Blob(file.chunks as BlobPart[], { type: file.mimeType });
    await Filesystem.writeFile({
      path: safeFileName(file.name),
      directory: Directory.Documents,
      data: await blobToBase64(blob),
      recursive: true,
    });
  }

  override async saveFromUrl(url: string, fileName: string): Promise<void> {
    if (!Capacitor.isNativePlatform()) return super.saveFromUrl(url, fileName);
    const { uri } = await Filesystem.getUri({ path: safeFileName(fileName), directory: Directory.Documents });
    await FileTransfer.downloadFile({ url, path: uri });
  }
}

/** Filesystem.writeFile takes base64 on a phone. */
function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(blob);
  });
}
