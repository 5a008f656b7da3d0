import { Injectable, InjectionToken, inject } from '@angular/core';
import {
  FilePicker,
  type PickedFile as PluginPickedFile,
  type FilePickerPlugin,
} from '@capawesome/capacitor-file-picker';
import { NATIVE_FILE_READER, rebuildFile, type NativeFileReader, type PickedFile } from './native-file';
import { IS_NATIVE } from './native-platform';

/** The part of the file-picker plugin this needs, so that tests can stand in for it. */
export type FilePickerApi = Pick<FilePickerPlugin, 'pickFiles' | 'pickImages'>;

export const FILE_PICKER_PLUGIN = new InjectionToken<FilePickerApi>('FILE_PICKER_PLUGIN', {
  providedIn: 'root',
  factory: () => FilePicker,
});

/**
 * The phone's own pickers for files and photos (the send screen, and sending to a device). In a
 * browser the screens use file inputs instead (a click must open them directly), so `native` is
 * false there and pick() is not used.
 */
@Injectable({ providedIn: 'root' })
export class DeviceFilePicker {
  private readonly plugin = inject(FILE_PICKER_PLUGIN);
  private readonly read = inject(NATIVE_FILE_READER);
  readonly native = inject(IS_NATIVE);

  /** The chosen files (none if the person closed the picker). */
  async pick(kind: 'files' | 'photos'): Promise<PickedFile[]> {
    let files: PluginPickedFile[];
    try {
      // limit 0: as many as the person likes.
      ({ files } =
        kind === 'photos' ? await this.plugin.pickImages({ limit: 0 }) : await this.plugin.pickFiles({ limit: 0 }));
    } catch (error) {
      if (isCancellation(error)) return [];
      throw error;
    }
    return Promise.all(files.map((file) => toPickedFile(file, this.read)));
  }
}

/** The plugin rejects with "…canceled." when the picker is closed without a choice. */
function isCancellation(error: unknown): boolean {
  return error instanceof Error && /cancel/i.test(error.message);
}

/**
 * A picked file as a File the upload can slice, read through the web view from its path (the
 * plugin reads no data by default: large files would not fit in the bridge). The path is kept
 * so that an upload cut short by the app's end can be taken up again from the same bytes.
 */
export async function toPickedFile(picked: PluginPickedFile, read: NativeFileReader): Promise<PickedFile> {
  const lastModified = picked.modifiedAt ?? Date.now();
  const type = picked.mimeType || 'application/octet-stream';
  if (picked.path) {
    const bytes = await read(picked.path);
    return { file: rebuildFile(bytes, picked.name, type, lastModified), nativePath: picked.path };
  }
  if (picked.blob) return { file: rebuildFile(picked.blob, picked.name, type, lastModified), nativePath: null };
  throw new Error(`The file ${picked.name} could not be read`);
}
