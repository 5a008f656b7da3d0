import { TestBed } from '@angular/core/testing';
import { provideIonicAngular } from '@ionic/angular';
import { ApiError, type ApiClient } from '@lexy/client-api';
import { API_CLIENT, FileSaver, PICKUP_CHALLENGE_SOLVER } from '@lexy/client-state';
import { NATIVE_PLATFORM } from '../platform/native-platform';
import { BARCODE_SCANNER_PLUGIN } from '../platform/qr-scanner';
import { settle } from '../testing/fake-uploads';
import { qrFrame } from '../testing/qr-image';
import { PickupPage } from './pickup-page';
import { QR_CAMERA } from './qr-scanner';

const file = { name: 'report.pdf', size: 1_500_000, mimeType: 'application/pdf', expiresAt: '2030-01-01T00:00:00Z' };

interface Options {
  pickup?: ApiClient['pickup'];
  route?: { code?: string; t?: string };
  native?: boolean;
  scannedText?: string;
  cameraText?: string;
}

async function render(options: Options = {}) {
  const pickup = vi.fn(options.pickup ?? (async () => ({ file })));
  const api = {
    pickup,
    pickupDownloadUrl: (code: string, token: string | null) =>
      `http://gw.test/api/v1/files/pickup/${code}/download${token ? `?t=${token}` : ''}`,
    downloadPass: vi.fn(async () => ({ pass: 'pass-1' })),
    passDownloadUrl: (code: string, pass: string) => `http://gw.test/api/v1/files/pickup/${code}/download?pass=${pass}`,
  };
  const saver = { saveFromUrl: vi.fn(async () => undefined), save: vi.fn() };
  const barcodeScanner = {
    isGoogleBarcodeScannerModuleAvailable: async () => ({ available: true }),
    scan: vi.fn(async () => ({ barcodes: options.scannedText ? [{ rawValue: options.scannedText }] : [] })),
  };
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      { provide: API_CLIENT, useValue: api },
      { provide: PICKUP_CHALLENGE_SOLVER, useValue: () => Promise.reject(new Error('no challenge expected')) },
      { provide: FileSaver, useValue: saver },
      { provide: NATIVE_PLATFORM, useValue: options.native ? 'android' : null },
      { provide: BARCODE_SCANNER_PLUGIN, useValue: barcodeScanner },
      {
        provide: QR_CAMERA,
        useValue: async () => ({
          next: () =>
            options.cameraText ? Promise.resolve(qrFrame(options.cameraText)) : new Promise<never>(() => undefined),
          stop: () => undefined,
        }),
      },
    ],
  });
  const fixture = TestBed.createComponent(PickupPage);
  for (const [name, value] of Object.entries(options.route ?? {})) fixture.componentRef.setInput(name, value);
  const element = fixture.nativeElement as HTMLElement;
  const stable = async () => {
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
  };
  await stable();
  const byTestId = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const type = async (id: string, value: string) => {
    byTestId(id)!.dispatchEvent(new CustomEvent('ionInput', { detail: { value } }));
    await stable();
  };
  const click = async (id: string) => {
    byTestId(id)!.click();
    await stable();
  };
  return { element, api, pickup, saver, barcodeScanner, byTestId, type, click, stable };
}

describe('PickupPage', () => {
  it('looks the code of a share link up once, with its token, and shows the file', async () => {
    const { pickup, byTestId } = await render({ route: { code: 'abc123', t: 'link-token' } });

    expect(pickup).toHaveBeenCalledTimes(1);
    expect(pickup).toHaveBeenCalledWith('ABC123', { token: 'link-token', pin: null, challenge: null });
    expect(byTestId('pickup-file-name')!.textContent).toContain('report.pdf');
    expect(byTestId('pickup-file-size')!.textContent).toContain('1.5 MB');
    expect(byTestId('pickup-expiry')).not.toBeNull();
    expect((byTestId('pickup-code-input') as HTMLElement & { value: string }).value).toBe('ABC123');
  });

  it('reads a typed code forgivingly and shows it as the gateway reads it', async () => {
    const { pickup, type, click, byTestId } = await render();
    expect(byTestId('pickup-code-input')!.getAttribute('label')).toBe('Pickup code');
    await type('pickup-code-input', ' abc-l2o ');
    await click('find');

    expect(pickup).toHaveBeenCalledWith('ABC120', { token: null, pin: null, challenge: null });
    expect((byTestId('pickup-code-input') as HTMLElement & { value: string }).value).toBe('ABC120');
  });

  it('shows the service’s errors in an alert', async () => {
    const { type, click, byTestId } = await render({
      pickup: () => Promise.reject(new ApiError(404, 'PICKUP_CODE_NOT_FOUND', 'not found')),
    });
    await type('pickup-code-input', 'ABC123');
    await click('find');

    const error = byTestId('pickup-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('No file has this code');
    expect(byTestId('pickup-file-name')).toBeNull();
  });

  it('asks for the PIN when the file has one, and unlocks it', async () => {
    const { type, click, byTestId, pickup } = await render({
      pickup: async (_code, access) => {
        if (access?.pin !== '123456') throw new ApiError(401, 'PIN_REQUIRED', 'pin');
        return { file };
      },
    });
    await type('pickup-code-input', 'ABC123');
    await click('find');
    expect(byTestId('pickup-pin')).not.toBeNull();
    expect(byTestId('pickup-error')).toBeNull();

    await type('pickup-pin', '123456');
    await click('unlock');
    expect(pickup).toHaveBeenLastCalledWith('ABC123', { token: null, pin: '123456', challenge: null });
    expect(byTestId('pickup-file-name')!.textContent).toContain('report.pdf');
  });

  it('downloads through the device’s file saver', async () => {
    const { click, saver, byTestId } = await render({ route: { code: 'ABC123', t: 'tok' } });
    await click('download');
    expect(saver.saveFromUrl).toHaveBeenCalledWith(
      'http://gw.test/api/v1/files/pickup/ABC123/download?t=tok',
      'report.pdf',
    );
    expect(byTestId('download-status')!.textContent).toContain('The download has started.');
  });

  it('looks a scanned share link up on a phone, token and all', async () => {
    const { click, pickup, barcodeScanner } = await render({
      native: true,
      scannedText: 'https://files.example.org/p/7K3M9Q?t=scanned-token',
    });
    await click('scan-qr');
    expect(barcodeScanner.scan).toHaveBeenCalled();
    expect(pickup).toHaveBeenCalledWith('7K3M9Q', { token: 'scanned-token', pin: null, challenge: null });
  });

  it('says so when the scanned QR code is no pickup', async () => {
    const { click, pickup, byTestId } = await render({ native: true, scannedText: 'WIFI:S:home;;' });
    await click('scan-qr');
    expect(pickup).not.toHaveBeenCalled();
    expect(byTestId('pickup-error')!.textContent).toContain('holds no pickup code');
  });

  it('scans with the camera view in a browser, and closes it once a code was read', async () => {
    const { click, pickup, element, stable } = await render({ cameraText: 'https://gw.test/p/ABC123?t=cam' });
    await click('scan-qr');
    await stable();
    await stable();

    expect(pickup).toHaveBeenCalledWith('ABC123', { token: 'cam', pin: null, challenge: null });
    expect(element.querySelector('lexy-qr-scanner')).toBeNull();
  });

  it('closes the camera view on Cancel', async () => {
    const { click, element, byTestId } = await render();
    await click('scan-qr');
    expect(element.querySelector('lexy-qr-scanner')).not.toBeNull();
    await click('scan-cancel');
    expect(element.querySelector('lexy-qr-scanner')).toBeNull();
    expect(byTestId('scan-qr')).not.toBeNull();
  });
});
