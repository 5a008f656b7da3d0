import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideIonicAngular } from '@ionic/angular';
import type { DeviceView, TransferView } from '@lexy/client-api';
import { API_CLIENT, DEVICE_IDENTITY, deviceKey, FileSaver, SessionStore } from '@lexy/client-state';
import { aDevice, FakeWebSocket } from '@lexy/client-state/testing';
import { IS_NATIVE } from '../platform/native-platform';
import { FILE_PICKER_PLUGIN } from '../platform/device-file-picker';
import { DevicesPage } from './devices-page';

const normal = { id: 'user-1', email: 'a@example.test', displayName: null, group: 'normal', createdAt: '' } as const;
const TRANSFER_ID = '0190f3a2-7b1c-7def-8a12-3456789abcde';
const offer = (status: TransferView['status'], size = 3): TransferView => ({
  id: TRANSFER_ID,
  fromDeviceId: 'laptop',
  toDeviceId: 'mine',
  files: [{ name: 'notes.txt', size, mimeType: 'text/plain', fileId: null }],
  mode: 'relay',
  status,
  totalBytes: size,
  deliveredBytes: 0,
  failureCode: null,
  createdAt: '',
  updatedAt: new Date().toISOString(),
  expiresAt: '',
});

/** A relay frame: the transfer id's 16 bytes, then the payload. */
function frameOf(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(16 + payload.length);
  frame.set(
    TRANSFER_ID.replaceAll('-', '')
      .match(/../g)!
      .map((hex) => parseInt(hex, 16)),
  );
  frame.set(payload, 16);
  return frame;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

interface Options {
  user?: { id: string; group: string } | null;
  native?: boolean;
  picked?: { name: string; mimeType: string; size: number; blob: Blob }[];
}

async function render({ user = normal, native = false, picked = [] }: Options = {}) {
  localStorage.clear();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  FakeWebSocket.last = null;
  const known = [aDevice('laptop', 'Firefox on Linux', true), aDevice('tablet', 'Old tablet', false)];
  const api = {
    socketUrl: 'ws://gateway/ws',
    devices: vi.fn(async () => ({ items: [...known] })),
    registerDevice: vi.fn(async (body: { name: string; platform: DeviceView['platform'] }) => {
      const registered = { ...aDevice('mine', body.name, true), platform: body.platform };
      known.push(registered);
      return { device: registered };
    }),
    acceptTransfer: vi.fn(async () => ({ transfer: offer('accepted') })),
    rejectTransfer: vi.fn(async () => ({ transfer: offer('rejected') })),
    cancelTransfer: vi.fn(),
    offerRelay: vi.fn(async (body: { toDeviceId: string }) => ({
      transfer: { ...offer('pending'), fromDeviceId: 'mine', toDeviceId: body.toDeviceId },
    })),
    transfers: vi.fn(async (): Promise<{ items: TransferView[] }> => ({ items: [] })),
  };
  const saver = { save: vi.fn() };
  const pickFiles = vi.fn(async () => ({ files: picked }));
  TestBed.configureTestingModule({
    providers: [
      provideIonicAngular({}),
      provideRouter([]),
      { provide: API_CLIENT, useValue: api },
      { provide: FileSaver, useValue: saver },
      {
        provide: SessionStore,
        useValue: { user: () => user, signedIn: () => user !== null, accessToken: async () => 'token' },
      },
      { provide: DEVICE_IDENTITY, useValue: () => ({ name: 'Pixel 8', platform: 'android' }) },
      { provide: IS_NATIVE, useValue: native },
      { provide: FILE_PICKER_PLUGIN, useValue: { pickFiles } },
    ],
  });
  const fixture = TestBed.createComponent(DevicesPage);
  for (let i = 0; i < 5; i++) await settle();
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const update = async () => {
    for (let i = 0; i < 3; i++) await settle();
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const all = (testId: string, within: ParentNode | undefined = element) => {
    expect(within).toBeDefined();
    return [...within!.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)];
  };
  const ready = async () => {
    FakeWebSocket.last!.open();
    FakeWebSocket.last!.event({ type: 'ready', deviceId: 'mine' });
    await update();
  };
  return { api, saver, pickFiles, element, update, all, ready, socket: () => FakeWebSocket.last! };
}

describe('DevicesPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks a visitor, or an anonymous session, to sign in first', async () => {
    const visitor = await render({ user: null });
    expect(visitor.all('to-sign-in')).toHaveLength(1);
    expect(visitor.all('this-device')).toHaveLength(0);

    TestBed.resetTestingModule();
    const anonymous = await render({ user: { id: 'anon-1', group: 'anonymous' } });
    expect(anonymous.all('to-sign-in')).toHaveLength(1);
    expect(anonymous.api.registerDevice).not.toHaveBeenCalled();
  });

  it('registers this phone under its own name, and lists the other devices online or offline', async () => {
    const { api, all, ready } = await render();
    expect(api.registerDevice).toHaveBeenCalledWith({ name: 'Pixel 8', platform: 'android' });
    expect(localStorage.getItem(deviceKey(normal.id))).toBe('mine');
    await ready();

    const [me] = all('this-device');
    expect(all('device-name', me)[0]!.textContent).toBe('Pixel 8');
    expect(all('connection', me)[0]!.textContent).toBe('Connected');
    const others = all('other-device').map((item) => ({
      name: all('device-name', item)[0]!.textContent,
      status: all('device-status', item)[0]!.textContent,
      canSend: !(all('send-to-device', item)[0] as HTMLElement & { disabled: boolean }).disabled,
    }));
    expect(others).toEqual([
      { name: 'Firefox on Linux', status: 'Online', canSend: true },
      { name: 'Old tablet', status: 'Offline', canSend: false },
    ]);
  });

  it('on the web build opens the device’s hidden file input and offers the chosen files', async () => {
    const { api, all, ready, update } = await render();
    await ready();
    const laptop = all('other-device')[0]!;
    const input = all('device-file-input', laptop)[0] as HTMLInputElement;
    expect(input.hidden).toBe(true);
    const opened = vi.spyOn(input, 'click').mockImplementation(() => undefined);
    all('send-to-device', laptop)[0]!.click();
    expect(opened).toHaveBeenCalled();

    const chosen = new File(['abc'], 'notes.txt', { type: 'text/plain' });
    Object.defineProperty(input, 'files', { configurable: true, value: [chosen] });
    input.dispatchEvent(new Event('change'));
    await update();
    expect(api.offerRelay).toHaveBeenCalledWith({
      fromDeviceId: 'mine',
      toDeviceId: 'laptop',
      files: [{ name: 'notes.txt', size: 3, mimeType: 'text/plain' }],
    });
    expect(all('transfer')[0]!.textContent).toContain('Waiting for the other device to accept.');
  });

  it('on a phone offers the files picked with the system picker', async () => {
    const picked = [{ name: 'photo.jpg', mimeType: 'image/jpeg', size: 4, blob: new Blob(['jpeg']) }];
    const { api, pickFiles, all, ready, update } = await render({ native: true, picked });
    await ready();
    all('send-to-device', all('other-device')[0]!)[0]!.click();
    await update();
    expect(pickFiles).toHaveBeenCalled();
    expect(api.offerRelay).toHaveBeenCalledWith(
      expect.objectContaining({
        toDeviceId: 'laptop',
        files: [{ name: 'photo.jpg', size: 4, mimeType: 'image/jpeg' }],
      }),
    );
  });

  it('sends nothing when the picker is closed without a choice', async () => {
    const { api, all, ready, update } = await render({ native: true, picked: [] });
    await ready();
    all('send-to-device', all('other-device')[0]!)[0]!.click();
    await update();
    expect(api.offerRelay).not.toHaveBeenCalled();
  });

  it('declines an offer', async () => {
    const { api, all, ready, update, socket } = await render();
    await ready();
    socket().event({ type: 'transfer.offered', transfer: offer('pending') });
    await update();
    expect(all('incoming-offer')[0]!.textContent).toContain('From Firefox on Linux');
    all('decline-offer')[0]!.click();
    await update();
    expect(api.rejectTransfer).toHaveBeenCalledWith(TRANSFER_ID);
    expect(all('incoming-offer')).toHaveLength(0);
    expect(all('finished-transfer')[0]!.textContent).toContain('You declined the files.');
  });

  it('accepts an offer, shows its progress, and marks the received file saved', async () => {
    const size = 300 * 1024;
    const { api, saver, all, ready, update, socket } = await render({ native: true });
    await ready();
    socket().event({ type: 'transfer.offered', transfer: offer('pending', size) });
    await update();
    expect(all('incoming-offer')).toHaveLength(1);
    all('accept-offer')[0]!.click();
    await update();
    expect(api.acceptTransfer).toHaveBeenCalledWith(TRANSFER_ID);
    expect(all('incoming-offer')).toHaveLength(0);

    socket().event({ type: 'transfer.accepted', transfer: offer('accepted', size) });
    const contents = new Uint8Array(size).fill(97);
    socket().frame(frameOf(contents.subarray(0, 256 * 1024)));
    await update();
    const bar = all('transfer')[0]!.querySelector('ion-progress-bar') as HTMLElement & { value: number };
    expect(bar.value).toBeCloseTo(256 / 300);
    expect(bar.getAttribute('aria-label')).toBe('Receiving notes.txt');
    expect(all('transfer-status')[0]!.textContent).toContain('85 %');

    socket().frame(frameOf(contents.subarray(256 * 1024)));
    socket().event({ type: 'transfer.sent', transferId: TRANSFER_ID, sha256: [await sha256Hex(contents)] });
    socket().event({ type: 'transfer.completed', transfer: { ...offer('completed', size), deliveredBytes: size } });
    await update();
    expect(saver.save).toHaveBeenCalledWith(expect.objectContaining({ name: 'notes.txt' }));
    const [received] = all('received-file');
    expect(received!.getAttribute('data-saved')).toBe('true');
    expect(received!.textContent).toContain('notes.txt');
    expect(all('saved', received)[0]!.textContent).toBe('Saved to Documents');
    expect(all('transfer')).toHaveLength(0);
  });
});
