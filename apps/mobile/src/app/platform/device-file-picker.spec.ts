import { TestBed } from '@angular/core/testing';
import type { PickedFile as PluginPickedFile } from '@capawesome/capacitor-file-picker';
import { DeviceFilePicker, FILE_PICKER_PLUGIN } from './device-file-picker';
import { NATIVE_FILE_READER } from './native-file';
import { NATIVE_PLATFORM } from './native-platform';

const video: PluginPickedFile = {
  name: 'holiday.mp4',
  mimeType: 'video/mp4',
  size: 5,
  path: 'content://media/external/video/42',
  webPath: 'https://localhost/_capacitor_content_/media/external/video/42',
  modifiedAt: 1_700_000_000_000,
};

function setUp(plugin: {
  pickFiles?: () => Promise<{ files: PluginPickedFile[] }>;
  pickImages?: () => Promise<{ files: PluginPickedFile[] }>;
}) {
  const read = vi.fn(async (_path: string) => new Blob(['video']));
  TestBed.configureTestingModule({
    providers: [
      { provide: NATIVE_PLATFORM, useValue: 'android' },
      { provide: FILE_PICKER_PLUGIN, useValue: plugin },
      { provide: NATIVE_FILE_READER, useValue: read },
    ],
  });
  return { picker: TestBed.inject(DeviceFilePicker), read };
}

describe('DeviceFilePicker', () => {
  it('reads the picked files from their paths and keeps the paths', async () => {
    const { picker, read } = setUp({ pickFiles: async () => ({ files: [video] }) });
    const [picked] = await picker.pick('files');

    expect(picker.native).toBe(true);
    expect(read).toHaveBeenCalledWith('content://media/external/video/42');
    expect(picked!.nativePath).toBe('content://media/external/video/42');
    expect([picked!.file.name, picked!.file.type, picked!.file.size, picked!.file.lastModified]).toEqual([
      'holiday.mp4',
      'video/mp4',
      5,
      1_700_000_000_000,
    ]);
  });

  it('asks the photo picker for photos', async () => {
    const pickImages = vi.fn(async () => ({ files: [{ ...video, name: 'a.jpg', mimeType: 'image/jpeg' }] }));
    const { picker } = setUp({ pickImages });
    const picked = await picker.pick('photos');
    expect(pickImages).toHaveBeenCalledWith({ limit: 0 });
    expect(picked.map(({ file }) => file.name)).toEqual(['a.jpg']);
  });

  it('gives nothing when the picker was closed, and passes other errors on', async () => {
    const closed = setUp({ pickFiles: () => Promise.reject(new Error('pickFiles canceled.')) });
    await expect(closed.picker.pick('files')).resolves.toEqual([]);
    TestBed.resetTestingModule();
    const broken = setUp({ pickFiles: () => Promise.reject(new Error('storage unavailable')) });
    await expect(broken.picker.pick('files')).rejects.toThrow('storage unavailable');
  });
});
