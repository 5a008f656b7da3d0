import { Injectable, InjectionToken, inject } from '@angular/core';
import { Capacitor } from '@capacitor/core';
import { BarcodeFormat, BarcodeScanner, type BarcodeScannerPlugin } from '@capacitor-mlkit/barcode-scanning';
import { NATIVE_PLATFORM } from './native-platform';

export type BarcodeScannerApi = Pick<
  BarcodeScannerPlugin,
  'scan' | 'requestPermissions' | 'isGoogleBarcodeScannerModuleAvailable' | 'installGoogleBarcodeScannerModule'
>;

export const BARCODE_SCANNER_PLUGIN = new InjectionToken<BarcodeScannerApi>('BARCODE_SCANNER_PLUGIN', {
  providedIn: 'root',
  factory: () => BarcodeScanner,
});

/**
 * Whether ML Kit is in this build: always on Android; on iOS Google ships it for CocoaPods only,
 * and the project uses Swift Package Manager, so `cap sync` leaves it out and the iOS app scans
 * with the web view's camera and jsQR, as the browser does.
 */
export const NATIVE_SCANNER_LINKED = new InjectionToken<boolean>('NATIVE_SCANNER_LINKED', {
  providedIn: 'root',
  factory: () => inject(NATIVE_PLATFORM) === 'android' || Capacitor.isPluginAvailable('BarcodeScanner'),
});

/** Why a scan could not start: no camera permission, or Android's scanner module still being installed. */
export class QrScanUnavailable extends Error {
  constructor(readonly reason: 'camera-denied' | 'installing') {
    super(`QR scanning unavailable: ${reason}`);
  }
}

/**
 * The phone's own QR scanner (ML Kit): a full-screen camera view of the system's. In a browser
 * `native` is false and the pickup screen scans with its own camera view instead.
 */
@Injectable({ providedIn: 'root' })
export class NativeQrScanner {
  private readonly platform = inject(NATIVE_PLATFORM);
  private readonly plugin = inject(BARCODE_SCANNER_PLUGIN);
  readonly native = this.platform !== null && inject(NATIVE_SCANNER_LINKED);

  /** The scanned text, or null if the person closed the scanner. */
  async scan(): Promise<string | null> {
    if (this.platform === 'android') {
      // Google's scanner needs no camera permission, but its module may not be on the phone yet.
      const { available } = await this.plugin.isGoogleBarcodeScannerModuleAvailable();
      if (!available) {
        await this.plugin.installGoogleBarcodeScannerModule();
        throw new QrScanUnavailable('installing');
      }
    } else {
      const { camera } = await this.plugin.requestPermissions();
      if (camera !== 'granted' && camera !== 'limited') throw new QrScanUnavailable('camera-denied');
    }
    try {
      const { barcodes } = await this.plugin.scan({ formats: [BarcodeFormat.QrCode] });
      const [first] = barcodes;
      return first ? (first.rawValue ?? first.displayValue) : null;
    } catch (error) {
      if (error instanceof Error && /cancel/i.test(error.message)) return null;
      throw error;
    }
  }
}
