import { TestBed } from '@angular/core/testing';
import type { PluginListenerHandle } from '@capacitor/core';
import type { ShareReceivedEvent } from '@capgo/capacitor-share-target';
import { settle } from '../testing/fake-uploads';
import { NATIVE_FILE_READER } from './native-file';
import { SHARE_TARGET_PLUGIN, ShareTargetInbox, sharedFiles, type SharedFiles } from './share-target';

/** Stands in for the plugin: the spec fires the share as the OS would. */
class FakeShareTarget {
  listener: ((event: ShareReceivedEvent) => void) | null = null;
  removed = 0;
  async addListener(
    _event: 'shareReceived',
    listener: (event: ShareReceivedEvent) => void,
  ): Promise<PluginListenerHandle> {
    this.listener = listener;
    return { remove: async () => void this.removed++ };
  }
  share(event: ShareReceivedEvent): void {
    this.listener?.(event);
  }
}

const files = {
  '/cache/report.pdf': new Blob(['%PDF-1.7'], { type: 'application/pdf' }),
  'data:text/plain;base64,aGk=': new Blob(['hi'], { type: 'text/plain' }),
} as Record<string, Blob>;
const read = async (uri: string) => {
  const blob = files[uri];
  if (!blob) throw new Error(`no such file: ${uri}`);
  return blob;
};

describe('sharedFiles', () => {
  it('turns each shared file into a File read from its URI, keeping a path to read it again', async () => {
    const event: ShareReceivedEvent = {
      title: 'Report',
      texts: ['look at this'],
      files: [
        { uri: '/cache/report.pdf', name: 'report.pdf', mimeType: 'application/pdf' },
        { uri: 'data:text/plain;base64,aGk=', name: '', mimeType: '' },
      ],
    };
    const shared = await sharedFiles(event, read, () => 42);

    expect(shared.unreadable).toBe(0);
    expect(
      shared.files.map(({ file, nativePath }) => [file.name, file.type, file.size, file.lastModified, nativePath]),
    ).toEqual([
      ['report.pdf', 'application/pdf', 8, 42, '/cache/report.pdf'],
      ['shared-file', 'text/plain', 2, 42, null],
    ]);
    expect(await shared.files[0]!.file.text()).toBe('%PDF-1.7');
  });

  it('leaves out the files it cannot read, and counts them', async () => {
    const event: ShareReceivedEvent = {
      title: '',
      texts: [],
      files: [
        { uri: '/cache/gone.zip', name: 'gone.zip', mimeType: 'application/zip' },
        { uri: '/cache/report.pdf', name: 'report.pdf', mimeType: 'application/pdf' },
      ],
    };
    const shared = await sharedFiles(event, read);
    expect(shared.files.map(({ file }) => file.name)).toEqual(['report.pdf']);
    expect(shared.unreadable).toBe(1);
  });
});

describe('ShareTargetInbox', () => {
  function setUp(plugin: FakeShareTarget | null) {
    TestBed.configureTestingModule({
      providers: [
        { provide: SHARE_TARGET_PLUGIN, useValue: plugin },
        { provide: NATIVE_FILE_READER, useValue: read },
      ],
    });
    return TestBed.inject(ShareTargetInbox);
  }

  it('hands each share with files over until it is told to stop', async () => {
    const plugin = new FakeShareTarget();
    const received: SharedFiles[] = [];
    const stop = setUp(plugin).listen((shared) => received.push(shared));
    await settle();

    plugin.share({ title: '', texts: ['only text'], files: [] });
    plugin.share({
      title: '',
      texts: [],
      files: [{ uri: '/cache/report.pdf', name: 'report.pdf', mimeType: 'application/pdf' }],
    });
    await settle();
    expect(received.map((shared) => shared.files.map(({ file }) => file.name))).toEqual([['report.pdf']]);

    stop();
    await settle();
    expect(plugin.removed).toBe(1);
  });

  it('does nothing in a browser, where nothing can be shared to the app', () => {
    const onShared = vi.fn();
    const stop = setUp(null).listen(onShared);
    stop();
    expect(onShared).not.toHaveBeenCalled();
  });
});
