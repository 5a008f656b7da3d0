import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  InjectionToken,
  afterNextRender,
  inject,
  output,
  signal,
  viewChild,
  type OnDestroy,
} from '@angular/core';
import { IonButton, IonText } from '@ionic/angular';
import { decodeQrFrame, type Frame } from '../platform/qr-frame';

/** A running camera: its frames one at a time (null while there is no picture yet), and a way to stop it. */
export interface CameraFrames {
  next(): Promise<Frame | null>;
  stop(): void;
}

/** Opens the camera into the video element (tests stand in for it with frames of their own). */
export const QR_CAMERA = new InjectionToken<(video: HTMLVideoElement) => Promise<CameraFrames>>('QR_CAMERA', {
  providedIn: 'root',
  factory: () => openBackCamera,
});

/** Frames are scaled down to this width: enough for a QR code held up to the camera, and cheap to decode. */
const FRAME_WIDTH = 640;

async function openBackCamera(video: HTMLVideoElement): Promise<CameraFrames> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return {
    next: () =>
      new Promise((resolve) =>
        requestAnimationFrame(() => {
          if (!context || !video.videoWidth) return resolve(null);
          const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          resolve(context.getImageData(0, 0, canvas.width, canvas.height));
        }),
      ),
    stop: () => {
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}

/**
 * The browser's QR scanner: the back camera in a small view, each frame looked at with jsQR
 * until one holds a QR code; its text is `scanned`. Cancel (or leaving) stops the camera.
 */
@Component({
  selector: 'lexy-qr-scanner',
  imports: [IonButton, IonText],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="scanner">
      <video #video playsinline muted aria-label="Camera view" i18n-aria-label="@@mobile.scanner.video"></video>
      <p i18n="@@mobile.scanner.hint">Hold the QR code in front of the camera.</p>
      @if (error(); as error) {
        <ion-text color="danger"
          ><p role="alert">{{ error }}</p></ion-text
        >
      }
      <ion-button
        expand="block"
        fill="outline"
        data-testid="scan-cancel"
        (click)="cancel()"
        i18n="@@mobile.scanner.cancel"
        >Cancel</ion-button
      >
    </div>
  `,
  styles: `
    video {
      display: block;
      width: 100%;
      max-height: 50vh;
      background: #000;
      border-radius: 8px;
      object-fit: cover;
    }
  `,
})
export class QrScanner implements OnDestroy {
  private readonly openCamera = inject(QR_CAMERA);
  private readonly video = viewChild.required<ElementRef<HTMLVideoElement>>('video');
  private camera: CameraFrames | null = null;
  private stopped = false;
  private markStopped: () => void = () => undefined;
  /** Settles when stop() is called, so that a frame that never comes does not keep the loop waiting. */
  private readonly stopping = new Promise<null>((resolve) => (this.markStopped = () => resolve(null)));
  readonly scanned = output<string>();
  readonly cancelled = output<void>();
  protected readonly error = signal<string | null>(null);
  /** Resolves when the scanner has stopped looking (tests wait for it). */
  running: Promise<void> = Promise.resolve();

  constructor() {
    afterNextRender(() => (this.running = this.run()));
  }

  protected cancel(): void {
    this.stop();
    this.cancelled.emit();
  }

  ngOnDestroy(): void {
    this.stop();
  }

  private async run(): Promise<void> {
    let camera: CameraFrames;
    try {
      camera = await this.openCamera(this.video().nativeElement);
    } catch (error) {
      this.error.set(cameraError(error));
      return;
    }
    // Cancelled while the camera was being opened.
    if (this.stopped) return camera.stop();
    this.camera = camera;
    while (!this.stopped) {
      const frame = await Promise.race([camera.next(), this.stopping]);
      if (this.stopped || !frame) continue;
      const text = decodeQrFrame(frame);
      if (text) {
        this.stop();
        this.scanned.emit(text);
      }
    }
  }

  private stop(): void {
    this.stopped = true;
    this.markStopped();
    this.camera?.stop();
    this.camera = null;
  }
}

function cameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return $localize`:@@mobile.scanner.denied:The camera may not be used. Allow it in the settings, or type the code.`;
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return $localize`:@@mobile.scanner.noCamera:No camera was found. Type the code instead.`;
  }
  return $localize`:@@mobile.scanner.failed:The camera could not be started. Type the code instead.`;
}
