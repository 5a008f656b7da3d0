import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import {
  IonButton,
  IonContent,
  IonHeader,
  IonInput,
  IonNote,
  IonCard,
  IonCardContent,
  IonText,
  IonTitle,
  IonToolbar,
} from '@ionic/angular';
import { formatBytes, normalizePickupCode } from '@lexy/client-api';
import { PickupService } from '@lexy/client-state';
import { NATIVE_PLATFORM } from '../platform/native-platform';
import { NativeQrScanner, QrScanUnavailable } from '../platform/qr-scanner';
import { QrScanner } from './qr-scanner';
import { parseScannedPickup } from './scanned-pickup';

const TEXTS = {
  notAPickup: () =>
    $localize`:@@mobile.pickup.notAPickup:This QR code holds no pickup code. Scan the code shown by the sender.`,
  scannerInstalling: () =>
    $localize`:@@mobile.pickup.scannerInstalling:The QR scanner is being installed on this phone. Try again in a moment.`,
  cameraDenied: () =>
    $localize`:@@mobile.pickup.cameraDenied:The camera may not be used. Allow it in the settings, or type the code.`,
  scanFailed: () => $localize`:@@mobile.pickup.scanFailed:The QR code could not be scanned. Type the code instead.`,
  saved: () => $localize`:@@mobile.pickup.saved:Saved to this app’s Documents folder.`,
  downloadStarted: () => $localize`:@@mobile.pickup.downloadStarted:The download has started.`,
};

/**
 * The Pick up screen: a code typed or scanned (a share link's QR code carries its token too),
 * the file it stands for, its PIN when it has one, and the download to the device.
 */
@Component({
  selector: 'lexy-pickup-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonInput,
    IonButton,
    IonNote,
    IonCard,
    IonCardContent,
    IonText,
    QrScanner,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './pickup-page.html',
  styleUrl: './pickup-page.css',
})
export class PickupPage {
  private readonly pickup = inject(PickupService);
  private readonly nativeScanner = inject(NativeQrScanner);
  private readonly native = inject(NATIVE_PLATFORM) !== null;
  /** From the query of `/pickup?code=&t=`, where the share link `/p/:code?t=` leads. */
  readonly code = input<string>();
  readonly t = input<string>();

  protected readonly state = this.pickup.state;
  protected readonly codeInput = signal('');
  protected readonly pinInput = signal('');
  /** The browser's scanner is open. */
  protected readonly scanning = signal(false);
  /** What went wrong on this screen (scanning); the service's errors are in its state. */
  protected readonly localError = signal<string | null>(null);
  protected readonly error = computed(() => this.localError() ?? this.state().error);
  protected readonly downloadStatus = signal<string | null>(null);
  protected readonly size = computed(() => formatBytes(this.state().file?.size ?? 0));
  protected readonly expires = computed(() => {
    const expiresAt = this.state().file?.expiresAt;
    return expiresAt ? new Date(expiresAt).toLocaleString() : null;
  });

  constructor() {
    effect(() => {
      const code = this.code();
      if (!code) return;
      const token = this.t() ?? null;
      // Untracked: the lookup reads and writes the pickup state, which must not run this again.
      untracked(() => this.lookUp(code, token));
    });
  }

  protected find(): void {
    this.lookUp(this.codeInput(), null);
  }

  protected unlock(): void {
    void this.pickup.unlock(this.pinInput());
  }

  protected async download(): Promise<void> {
    this.downloadStatus.set(null);
    await this.pickup.download();
    if (!this.state().error) this.downloadStatus.set(this.native ? TEXTS.saved() : TEXTS.downloadStarted());
  }

  protected async scan(): Promise<void> {
    this.localError.set(null);
    if (!this.nativeScanner.native) {
      this.scanning.set(true);
      return;
    }
    try {
      const text = await this.nativeScanner.scan();
      if (text !== null) this.useScanned(text);
    } catch (error) {
      if (error instanceof QrScanUnavailable) {
        this.localError.set(error.reason === 'installing' ? TEXTS.scannerInstalling() : TEXTS.cameraDenied());
      } else {
        this.localError.set(TEXTS.scanFailed());
      }
    }
  }

  protected scanned(text: string): void {
    this.scanning.set(false);
    this.useScanned(text);
  }

  private useScanned(text: string): void {
    const pickup = parseScannedPickup(text);
    if (!pickup) {
      this.localError.set(TEXTS.notAPickup());
      return;
    }
    this.lookUp(pickup.code, pickup.token);
  }

  private lookUp(code: string, token: string | null): void {
    this.localError.set(null);
    this.downloadStatus.set(null);
    this.pinInput.set('');
    // The field shows the code as the gateway reads it ("abc-l2o" → "ABC120").
    this.codeInput.set(normalizePickupCode(code) ?? code);
    void this.pickup.find(code, token);
  }
}
