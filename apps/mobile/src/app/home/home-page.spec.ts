import { TestBed } from '@angular/core/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { provideRouter } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular';
import { API_CLIENT, TUS } from '@lexy/client-state';
import { APP_PLUGIN, APP_WINDOW } from '../platform/app-foreground';
import { FILE_PICKER_PLUGIN } from '../platform/device-file-picker';
import { SHARE_PLUGIN, WEB_SHARE } from '../platform/link-share';
import { NATIVE_FILE_READER } from '../platform/native-file';
import { NATIVE_PLATFORM } from '../platform/native-platform';
import { PENDING_UPLOADS, PendingUploads } from '../platform/pending-uploads';
import { SHARE_TARGET_PLUGIN } from '../platform/share-target';
import { FakeTusServer, MemoryPendingStorage, fakeUploadApi, settle } from '../testing/fake-uploads';
import { HomePage } from './home-page';
import { QR_IMAGE } from './qr-image';

interface Options {
  native?: boolean;
  earlier?: (store: PendingUploads) => Promise<unknown>;
}

async function render(options: Options = {}) {
  const server = new FakeTusServer();
  const storage = new MemoryPendingStorage();
  const readNative = async () => new Blob(['from the phone']);
  const store = new PendingUploads(storage, readNative, () => `p${storage.rows.size + 1}`);
  await options.earlier?.(store);
  const picker = {
    pickFiles: vi.fn(async () => ({
      files: [{ name: 'notes.txt', mimeType: 'text/plain', size: 14, path: '/docs/notes.txt' }],
    })),
    pickImages: vi.fn(async () => ({
      files: [{ name: 'cat.jpg', mimeType: 'image/jpeg', size: 14, path: '/photos/cat.jpg' }],
    })),
  };
  const clipboard = { copy: vi.fn(() => true) };
  const sharePlugin = { share: vi.fn(async () => ({})) };
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter([]),
      { provide: API_CLIENT, useValue: fakeUploadApi() },
      { provide: TUS, useValue: server.tus },
      { provide: PENDING_UPLOADS, useValue: store },
      { provide: NATIVE_PLATFORM, useValue: options.native ? 'android' : null },
      { provide: NATIVE_FILE_READER, useValue: readNative },
      { provide: FILE_PICKER_PLUGIN, useValue: picker },
      { provide: APP_PLUGIN, useValue: { addListener: async () => ({ remove: async () => undefined }) } },
      { provide: APP_WINDOW, useValue: new EventTarget() },
      { provide: SHARE_TARGET_PLUGIN, useValue: null },
      { provide: SHARE_PLUGIN, useValue: sharePlugin },
      { provide: WEB_SHARE, useValue: null },
      { provide: Clipboard, useValue: clipboard },
      // The QR image says what it encodes, so that the spec can read it back.
      { provide: QR_IMAGE, useValue: async (text: string) => `data:text/plain,${encodeURIComponent(text)}` },
    ],
  });
  const fixture = TestBed.createComponent(HomePage);
  const element = fixture.nativeElement as HTMLElement;
  const stable = async () => {
    await settle();
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
  };
  await stable();
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string) =>
    element.querySelector<T>(`[data-testid="${id}"]`);
  const allByTestId = (id: string) => Array.from(element.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
  const choose = async (files: File[], input = 'file-input') => {
    const target = byTestId<HTMLInputElement>(input)!;
    Object.defineProperty(target, 'files', { value: files, configurable: true });
    target.dispatchEvent(new Event('change'));
    await stable();
  };
  const type = async (id: string, value: string) => {
    byTestId(id)!.dispatchEvent(new CustomEvent('ionInput', { detail: { value } }));
    await stable();
  };
  const click = async (id: string) => {
    byTestId(id)!.click();
    await stable();
  };
  return {
    element,
    server,
    storage,
    picker,
    clipboard,
    sharePlugin,
    byTestId,
    allByTestId,
    choose,
    type,
    click,
    stable,
  };
}

describe('HomePage', () => {
  it('opens the hidden file input in a browser, and uploads what was chosen with a progress bar', async () => {
    const { byTestId, choose, server, stable } = await render();
    const input = byTestId<HTMLInputElement>('file-input')!;
    const opened = vi.spyOn(input, 'click').mockImplementation(() => undefined);
    byTestId('pick-files')!.click();
    expect(opened).toHaveBeenCalled();
    expect(input.multiple).toBe(true);
    expect(byTestId<HTMLInputElement>('photo-input')!.accept).toBe('image/*');

    await choose([new File(['x'.repeat(40)], 'film.mov')]);
    expect(server.last.file.name).toBe('film.mov');
    server.last.progress(20);
    await stable();

    const bar = byTestId('upload-progress')!;
    expect(bar.getAttribute('aria-label')).toBe('Upload progress of film.mov');
    expect((bar as HTMLElement & { value: number }).value).toBe(0.5);
    expect(byTestId('upload-progress-text')!.textContent).toContain('50 %');
  });

  it('sends with the PIN and download limit given in the options', async () => {
    const { choose, type, server } = await render();
    await type('upload-pin', ' 123456 ');
    await type('download-limit', '3');
    await choose([new File(['a'], 'a.txt')]);
    expect(server.last.options.metadata).toMatchObject({ pin: '123456', downloadLimit: '3' });
  });

  it('uses the phone’s pickers for files and photos', async () => {
    const { click, picker, server } = await render({ native: true });
    await click('pick-photos');
    expect(picker.pickImages).toHaveBeenCalled();
    expect(server.last.file.name).toBe('cat.jpg');
    await click('pick-files');
    expect(picker.pickFiles).toHaveBeenCalled();
  });

  it('pauses and resumes the file on its way', async () => {
    const { choose, click, byTestId, server } = await render();
    await choose([new File(['a'], 'a.txt')]);
    await click('pause');
    expect(server.last.aborts).toEqual([false]);
    expect(byTestId('upload-progress-text')!.textContent).toContain('Paused');
    await click('resume');
    expect(server.last.started).toBe(2);
    expect(byTestId('pause')).not.toBeNull();
  });

  it('shows the code, its QR code and a share button once a file is through', async () => {
    const { choose, server, stable, byTestId, click, clipboard } = await render();
    await choose([new File(['a'], 'a.txt')]);
    server.last.succeed('abc123');
    await stable();

    expect(byTestId('pickup-code')!.textContent!.trim()).toBe('ABC123');
    const qr = byTestId<HTMLImageElement>('pickup-qr')!;
    expect(qr.alt).toBe('QR code for pickup code ABC123');
    expect(decodeURIComponent(qr.src.replace('data:text/plain,', ''))).toBe('http://gw.test/p/ABC123?t=tok');

    // A browser without a share sheet copies the link and says so.
    await click('share');
    expect(clipboard.copy).toHaveBeenCalledWith('http://gw.test/p/ABC123?t=tok');
    expect(byTestId('share-status')!.textContent).toContain('The link was copied');

    await click('copy-code');
    expect(clipboard.copy).toHaveBeenLastCalledWith('ABC123');
    expect(byTestId('share-status')!.textContent).toContain('Code copied.');
    expect(byTestId('send-more')).not.toBeNull();
  });

  it('shares the link through the system sheet on a phone', async () => {
    const { click, server, stable, sharePlugin } = await render({ native: true });
    await click('pick-files');
    server.last.succeed('abc123');
    await stable();
    await click('share');
    expect(sharePlugin.share).toHaveBeenCalledWith(expect.objectContaining({ url: 'http://gw.test/p/ABC123?t=tok' }));
  });

  it('says why a file failed, and offers to try again when the network was the cause', async () => {
    const { choose, server, stable, byTestId, click } = await render();
    await choose([new File(['a'], 'a.txt')]);
    server.last.loseNetwork();
    await stable();

    expect(byTestId('upload-error')!.getAttribute('role')).toBe('alert');
    await click('retry-upload');
    expect(server.uploads).toHaveLength(2);
    expect(byTestId('upload-progress')).not.toBeNull();
  });

  it('lists the uploads an earlier run left unfinished and takes them up again', async () => {
    const film = new File(['x'.repeat(40)], 'film.mov', { lastModified: 1 });
    const { allByTestId, server } = await render({
      earlier: async (store) => {
        await store.record({ file: film, nativePath: null }, {});
        await store.record({ file: new File(['secret'], 'secret.pdf'), nativePath: null }, { pin: '123456' });
      },
    });

    const [resumed, waiting] = allByTestId('pending-upload');
    expect(resumed!.textContent).toContain('film.mov');
    expect(resumed!.textContent).toContain('Going on where it stopped');
    expect(server.uploads.filter((upload) => upload.started > 0).map((upload) => upload.file.name)).toEqual([
      'film.mov',
    ]);
    expect(waiting!.textContent).toContain('Enter it again to send it');
    expect(waiting!.querySelector('[data-testid="pending-pin"]')).not.toBeNull();
  });
});
