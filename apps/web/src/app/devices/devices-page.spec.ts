import { TestBed } from '@angular/core/testing';
import type { TransferView } from '@lexy/client-api';
import { API_CLIENT, deviceKey, deviceNameFrom, DevicesService, FileSaver, SessionStore } from '@lexy/client-state';
import { aDevice, FakeWebSocket } from '@lexy/client-state/testing';
import { DevicesPage } from './devices-page';

const user = { id: 'user-1', email: 'a@example.test', displayName: null, group: 'normal', createdAt: '' } as const;
const TRANSFER_ID = '0190f3a2-7b1c-7def-8a12-3456789abcde';
const offer = (status: TransferView['status'], size = 3): TransferView => ({
  id: TRANSFER_ID,
  fromDeviceId: 'phone',
  toDeviceId: 'mine',
  files: [{ name: 'notes.txt', size, mimeType: 'text/plain', fileId: null }],
  mode: 'relay',
  status,
  totalBytes: size,
  deliveredBytes: 0,
  failureCode: status === 'failed' ? 'CHECKSUM_MISMATCH' : null,
  createdAt: '',
  updatedAt: new Date().toISOString(),
  expiresAt: '',
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function render(storedDevice: string | null) {
  localStorage.clear();
  if (storedDevice) localStorage.setItem(deviceKey(user.id), storedDevice);
  vi.stubGlobal('WebSocket', FakeWebSocket);
  const api = {
    socketUrl: 'ws://gateway/ws',
    devices: vi.fn(async () => ({
      items: [aDevice('phone', 'Firefox on Android', false), aDevice('old', 'Gone', false)],
    })),
    registerDevice: vi.fn(async (body: { name: string }) => ({ device: aDevice('mine', body.name, true) })),
    acceptTransfer: vi.fn(async () => ({ transfer: offer('accepted') })),
    rejectTransfer: vi.fn(async () => ({ transfer: offer('rejected') })),
    cancelTransfer: vi.fn(),
    offerRelay: vi.fn(),
    transfers: vi.fn(async (): Promise<{ items: TransferView[] }> => ({ items: [] })),
  };
  const saver = { save: vi.fn() };
  TestBed.configureTestingModule({
    providers: [
      { provide: API_CLIENT, useValue: api },
      { provide: FileSaver, useValue: saver },
      { provide: SessionStore, useValue: { user: () => user, signedIn: () => true, accessToken: async () => 'token' } },
    ],
  });
  const fixture = TestBed.createComponent(DevicesPage);
  for (let i = 0; i < 5; i++) await settle();
  await fixture.whenStable();
  const socket = FakeWebSocket.last!;
  const element = fixture.nativeElement as HTMLElement;
  const update = async () => {
    await settle();
    fixture.detectChanges();
    await fixture.whenStable();
  };
  return { api, saver, socket, element, update };
}

describe('DevicesPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('names a browser after its user agent', () => {
    expect(
      deviceNameFrom(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0 Safari/537.36',
      ),
    ).toBe('Chromium on Linux');
    expect(deviceNameFrom('Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0')).toBe(
      'Firefox on Android',
    );
  });

  it('registers this browser when the server does not know the stored device, and remembers it', async () => {
    const { api, socket } = await render('deleted-device');
    expect(api.registerDevice).toHaveBeenCalledWith(expect.objectContaining({ platform: 'web' }));
    expect(localStorage.getItem(deviceKey(user.id))).toBe('mine');
    socket.open();
    expect(socket.sent[0]).toEqual({ type: 'auth', token: 'token', deviceId: 'mine' });
  });

  it('lists this browser and the other devices, whose online state changes live', async () => {
    const { api, socket, element, update } = await render('old');
    expect(api.registerDevice).not.toHaveBeenCalled();
    socket.open();
    socket.event({ type: 'ready', deviceId: 'old' });
    await update();
    expect(element.textContent).toContain('This browser');
    expect(element.textContent).toContain('Firefox on Android');
    expect(element.textContent).toContain('Offline');
    socket.event({ type: 'device.online', deviceId: 'phone' });
    await update();
    expect(element.querySelector('label')?.textContent).toContain('Files for Firefox on Android');
  });

  it('answers an offer: accept streams the bytes in, checks their SHA-256 and saves the file by its name', async () => {
    const { api, saver, socket, element, update } = await render(null);
    socket.open();
    socket.event({ type: 'ready', deviceId: 'mine' });
    socket.event({ type: 'transfer.offered', transfer: offer('pending') });
    await update();
    const accept = element.querySelector<HTMLButtonElement>('button[aria-label="Accept notes.txt"]');
    expect(accept).not.toBeNull();
    accept!.click();
    await update();
    expect(api.acceptTransfer).toHaveBeenCalledWith(TRANSFER_ID);

    socket.event({ type: 'transfer.accepted', transfer: offer('accepted') });
    const frame = new Uint8Array(16 + 3);
    frame.set(
      TRANSFER_ID.replaceAll('-', '')
        .match(/../g)!
        .map((hex) => parseInt(hex, 16)),
    );
    frame.set([97, 98, 99], 16); // "abc"
    socket.frame(frame);
    await update();
    expect(element.querySelector('progress')?.getAttribute('value')).toBe('100');
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    socket.event({ type: 'transfer.sent', transferId: TRANSFER_ID, sha256: [abc] });
    expect(socket.sent.at(-1)).toEqual({ type: 'transfer.received', transferId: TRANSFER_ID, ok: true });
    expect(saver.save).toHaveBeenCalledWith(expect.objectContaining({ name: 'notes.txt', mimeType: 'text/plain' }));

    socket.event({ type: 'transfer.completed', transfer: { ...offer('completed'), deliveredBytes: 3 } });
    await update();
    expect(element.querySelector('[role="status"]')?.textContent).toContain('Received and checked');
  });

  it('tells a failure in plain words', async () => {
    const { socket, element, update } = await render(null);
    socket.open();
    socket.event({ type: 'ready', deviceId: 'mine' });
    socket.event({ type: 'transfer.failed', transfer: offer('failed') });
    await update();
    expect(element.querySelector('[role="status"]')?.textContent).toContain('The file was damaged on the way');
  });

  it('starts sending an offer that was accepted while its socket was away, once the socket is back', async () => {
    const { api, socket, update } = await render(null);
    socket.open();
    socket.event({ type: 'ready', deviceId: 'mine' });
    const outgoing: TransferView = { ...offer('pending'), fromDeviceId: 'mine', toDeviceId: 'phone' };
    api.offerRelay.mockResolvedValue({ transfer: outgoing });
    await TestBed.inject(DevicesService).send('phone', [new File(['abc'], 'notes.txt', { type: 'text/plain' })]);

    // The other device accepted while this socket was reconnecting: no event came; the list says so.
    api.transfers.mockResolvedValue({ items: [{ ...outgoing, status: 'accepted' }] });
    socket.event({ type: 'ready', deviceId: 'mine' });
    for (let i = 0; i < 20 && !socket.sent.some((data) => data instanceof Uint8Array); i++) await update();
    const frames = socket.sent.filter((data): data is Uint8Array => data instanceof Uint8Array);
    expect(frames).toHaveLength(1);
    expect([...frames[0]!.subarray(16)]).toEqual([97, 98, 99]); // "abc" after the 16-byte transfer id
  });
});
