import { TestBed } from '@angular/core/testing';
import type { DeviceView } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { DEVICE_IDENTITY } from './device-identity';
import { deviceKey } from './device-name';
import { DevicesService } from './devices.service';
import { SessionStore } from './session.store';

/** A socket that never opens: registration happens before the relay is reached. */
class SilentWebSocket {
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'blob';
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  send() {}
  close() {}
}

const user = { id: 'user-1', email: 'a@example.test', displayName: null, group: 'normal', createdAt: '' } as const;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function registering(identity?: () => { name: string; platform: DeviceView['platform'] }) {
  localStorage.clear();
  vi.stubGlobal('WebSocket', SilentWebSocket);
  const api = {
    socketUrl: 'ws://gateway/ws',
    devices: vi.fn(async () => ({ items: [] as DeviceView[] })),
    registerDevice: vi.fn(async (body: { name: string; platform: DeviceView['platform'] }) => ({
      device: { id: 'new', ...body, online: true, lastSeenAt: null, createdAt: '' },
    })),
  };
  TestBed.configureTestingModule({
    providers: [
      { provide: API_CLIENT, useValue: api },
      { provide: SessionStore, useValue: { user: () => user, signedIn: () => true, accessToken: async () => 'token' } },
      ...(identity ? [{ provide: DEVICE_IDENTITY, useValue: identity }] : []),
    ],
  });
  TestBed.inject(DevicesService);
  TestBed.tick();
  return api;
}

describe('DevicesService registration', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('introduces a browser as "web", named after its user agent, by default', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Firefox/140.0',
    );
    const api = registering();
    for (let i = 0; i < 3; i++) await settle();
    expect(api.registerDevice).toHaveBeenCalledWith({ name: 'Firefox on Linux', platform: 'web' });
    vi.restoreAllMocks();
  });

  it('registers with the identity the platform provides, and remembers the device', async () => {
    const api = registering(() => ({ name: 'Pixel 8', platform: 'android' }));
    for (let i = 0; i < 3; i++) await settle();
    expect(api.registerDevice).toHaveBeenCalledWith({ name: 'Pixel 8', platform: 'android' });
    expect(localStorage.getItem(deviceKey(user.id))).toBe('new');
  });
});
