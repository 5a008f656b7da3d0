import { TestBed } from '@angular/core/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { LinkShare, SHARE_PLUGIN, WEB_SHARE } from './link-share';
import { NATIVE_PLATFORM } from './native-platform';

function setUp(options: { native: boolean; webShare?: ((data: ShareData) => Promise<void>) | null; copies?: boolean }) {
  const plugin = { share: vi.fn(async () => ({})) };
  const clipboard = { copy: vi.fn(() => options.copies ?? true) };
  TestBed.configureTestingModule({
    providers: [
      { provide: NATIVE_PLATFORM, useValue: options.native ? 'android' : null },
      { provide: SHARE_PLUGIN, useValue: plugin },
      { provide: WEB_SHARE, useValue: options.webShare ?? null },
      { provide: Clipboard, useValue: clipboard },
    ],
  });
  return { share: TestBed.inject(LinkShare), plugin, clipboard };
}

const link = 'https://files.example.org/p/ABC123?t=tok';

describe('LinkShare', () => {
  it('opens the system share sheet on a phone', async () => {
    const { share, plugin, clipboard } = setUp({ native: true });
    await expect(share.share(link, 'Pickup code ABC123')).resolves.toBe('shared');
    expect(plugin.share).toHaveBeenCalledWith({
      url: link,
      title: 'Pickup code ABC123',
      dialogTitle: 'Pickup code ABC123',
    });
    expect(clipboard.copy).not.toHaveBeenCalled();
  });

  it('uses the Web Share API in a browser that has it', async () => {
    const webShare = vi.fn(async () => undefined);
    const { share, plugin } = setUp({ native: false, webShare });
    await expect(share.share(link, 'Pickup')).resolves.toBe('shared');
    expect(webShare).toHaveBeenCalledWith({ url: link, title: 'Pickup' });
    expect(plugin.share).not.toHaveBeenCalled();
  });

  it('copies the link where there is no share sheet', async () => {
    const { share, clipboard } = setUp({ native: false });
    await expect(share.share(link, 'Pickup')).resolves.toBe('copied');
    expect(clipboard.copy).toHaveBeenCalledWith(link);
  });

  it('copies nothing when the person closed the sheet', async () => {
    const webShare = () => Promise.reject(new DOMException('closed', 'AbortError'));
    const { share, clipboard } = setUp({ native: false, webShare });
    await expect(share.share(link, 'Pickup')).resolves.toBe('dismissed');
    expect(clipboard.copy).not.toHaveBeenCalled();
  });

  it('says so when even copying fails', async () => {
    const { share } = setUp({ native: false, copies: false });
    await expect(share.share(link, 'Pickup')).rejects.toThrow();
  });
});
