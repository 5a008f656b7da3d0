import { inject, Injectable, InjectionToken } from '@angular/core';
import { Capacitor } from '@capacitor/core';
import { FilePicker } from '@capawesome/capacitor-file-picker';
import { IS_NATIVE } from '../platform/native-platform';

/** The part of the file picker plugin this needs, so that tests can stand in for it. */
export interface FilePickerPlugin {
  pickFiles(options?: { limit?: number; readData?: boolean }): Promise<{
    files: { name: string; mimeType: string; size: number; path?: string; webPath?: string; blob?: Blob }[];
  }>;
}

export const FILE_PICKER_PLUGIN = new InjectionToken<FilePickerPlugin>('FILE_PICKER_PLUGIN', {
  providedIn: 'root',
  factory: () => FilePicker,
});

/**
 * Choosing files to send to another device. On a phone the system's file picker; the web build
 * uses a file input of its own instead (`native` is false), which a browser needs for its picker
 * to open from the click.
 */
@Injectable({ providedIn: 'root' })
export class DeviceFilePicker {
  private readonly plugin = inject(FILE_PICKER_PLUGIN);
  readonly native = inject(IS_NATIVE);

  /** The files picked; none when the person closed the picker. */
  async pick(): Promise<File[]> {
    let picked: Awaited<ReturnType<FilePickerPlugin['pickFiles']>>;
    try {
      // Not readData: base64 of a large file in memory can crash the app. The web view loads it instead.
      picked = await this.plugin.pickFiles({ limit: 0, readData: false });
    } catch {
      return [];
    }
    return Promise.all(
      picked.files.map(async (file) => {
        const blob =
          file.blob ?? (await (await fetch(file.webPath ?? Capacitor.convertFileSrc(file.path ?? ''))).blob());
        return new File([blob], file.name, { type: file.mimeType || blob.type });
      }),
    );
  }
}
