import { TestBed } from '@angular/core/testing';
import { provideIonicAngular } from '@ionic/angular';
import { blankFrame, qrFrame } from '../testing/qr-image';
import type { Frame } from '../platform/qr-frame';
import { QR_CAMERA, QrScanner, type CameraFrames } from './qr-scanner';

/** A camera that shows the given frames one after another, then nothing more. */
function fakeCamera(frames: Frame[]) {
  const camera = { stopped: 0, shown: 0, video: null as HTMLVideoElement | null };
  const open = async (video: HTMLVideoElement): Promise<CameraFrames> => {
    camera.video = video;
    return {
      next: () => {
        const frame = frames[camera.shown++];
        // Past the last frame the camera waits, as a real one does between pictures.
        return frame ? Promise.resolve(frame) : new Promise<never>(() => undefined);
      },
      stop: () => void camera.stopped++,
    };
  };
  return { camera, open };
}

async function render(open: (video: HTMLVideoElement) => Promise<CameraFrames>) {
  TestBed.configureTestingModule({ providers: [provideIonicAngular({}), { provide: QR_CAMERA, useValue: open }] });
  const fixture = TestBed.createComponent(QrScanner);
  const scanned: string[] = [];
  let cancelled = 0;
  fixture.componentInstance.scanned.subscribe((text) => scanned.push(text));
  fixture.componentInstance.cancelled.subscribe(() => cancelled++);
  await fixture.whenStable();
  return { fixture, scanned, cancelled: () => cancelled, element: fixture.nativeElement as HTMLElement };
}

describe('QrScanner', () => {
  it('looks at frame after frame until one holds a QR code, then stops the camera', async () => {
    const link = 'https://files.example.org/p/7K3M9Q?t=tok';
    const { camera, open } = fakeCamera([blankFrame(), blankFrame(), qrFrame(link)]);
    const { fixture, scanned } = await render(open);
    await fixture.componentInstance.running;

    expect(camera.video).toBeInstanceOf(HTMLVideoElement);
    expect(camera.shown).toBe(3);
    expect(scanned).toEqual([link]);
    expect(camera.stopped).toBe(1);
  });

  it('stops the camera when cancelled', async () => {
    const { camera, open } = fakeCamera([blankFrame()]);
    const { fixture, element, scanned, cancelled } = await render(open);
    element.querySelector<HTMLElement>('[data-testid="scan-cancel"]')!.click();
    await fixture.componentInstance.running;

    expect(cancelled()).toBe(1);
    expect(camera.stopped).toBe(1);
    expect(scanned).toEqual([]);
  });

  it('says when the camera may not be used', async () => {
    const { fixture, element } = await render(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    await fixture.componentInstance.running;
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')!.textContent).toContain('The camera may not be used');
  });
});
