import { TestBed } from '@angular/core/testing';
import { NATIVE_PLATFORM, type NativePlatform } from './native-platform';
import {
  BARCODE_SCANNER_PLUGIN,
  NATIVE_SCANNER_LINKED,
  NativeQrScanner,
  QrScanUnavailable,
  type BarcodeScannerApi,
} from './qr-scanner';

function setUp(platform: NativePlatform, plugin: Partial<BarcodeScannerApi>, linked = true) {
  TestBed.configureTestingModule({
    providers: [
      { provide: NATIVE_PLATFORM, useValue: platform },
      { provide: NATIVE_SCANNER_LINKED, useValue: linked },
      { provide: BARCODE_SCANNER_PLUGIN, useValue: plugin },
    ],
  });
  return TestBed.inject(NativeQrScanner);
}

const scanned = (rawValue: string) => async () => ({ barcodes: [{ rawValue, displayValue: rawValue }] }) as never;

describe('NativeQrScanner', () => {
  it('leaves scanning to the web view’s camera on a phone whose build lacks ML Kit (iOS with SPM)', () => {
    expect(setUp('ios', {}, false).native).toBe(false);
    TestBed.resetTestingModule();
    expect(setUp('ios', {}, true).native).toBe(true);
  });

  it('scans with Google’s scanner on Android once its module is there', async () => {
    const scan = vi.fn(scanned('https://gw.test/p/ABC123?t=x'));
    const scanner = setUp('android', {
      isGoogleBarcodeScannerModuleAvailable: async () => ({ available: true }),
      scan,
    });
    await expect(scanner.scan()).resolves.toBe('https://gw.test/p/ABC123?t=x');
    expect(scan).toHaveBeenCalledWith({ formats: ['QR_CODE'] });
  });

  it('installs the module first where it is missing, and says so', async () => {
    const install = vi.fn(async () => undefined);
    const scanner = setUp('android', {
      isGoogleBarcodeScannerModuleAvailable: async () => ({ available: false }),
      installGoogleBarcodeScannerModule: install,
    });
    await expect(scanner.scan()).rejects.toEqual(new QrScanUnavailable('installing'));
    expect(install).toHaveBeenCalled();
  });

  it('asks for the camera on iOS', async () => {
    const denied = setUp('ios', { requestPermissions: async () => ({ camera: 'denied' }) });
    await expect(denied.scan()).rejects.toMatchObject({ reason: 'camera-denied' });
    TestBed.resetTestingModule();
    const granted = setUp('ios', { requestPermissions: async () => ({ camera: 'granted' }), scan: scanned('ABC123') });
    await expect(granted.scan()).resolves.toBe('ABC123');
  });

  it('gives null when the person closed the scanner', async () => {
    const scanner = setUp('ios', {
      requestPermissions: async () => ({ camera: 'granted' }),
      scan: () => Promise.reject(new Error('scan canceled.')),
    });
    await expect(scanner.scan()).resolves.toBeNull();
  });
});
