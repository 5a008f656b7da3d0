import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { TransferView } from '@lexy/client-api';
import { DevicesService, type TransferState } from '@lexy/client-state';
import { APP_STATE_PLUGIN } from './app-activity';
import { IS_NATIVE } from './native-platform';
import {
  BROWSER_NOTIFICATIONS,
  LOCAL_NOTIFICATIONS,
  notificationId,
  OfferNotifications,
  OfferWatch,
  type BrowserNotificationApi,
} from './offer-notifications';

function entry(id: string, status: TransferView['status'], direction: 'in' | 'out' = 'in'): TransferState {
  return {
    transfer: {
      id,
      fromDeviceId: direction === 'in' ? 'laptop' : 'phone',
      toDeviceId: direction === 'in' ? 'phone' : 'laptop',
      files: [
        { name: 'notes.txt', size: 3, mimeType: 'text/plain', fileId: null },
        { name: 'photo.jpg', size: 5, mimeType: 'image/jpeg', fileId: null },
      ],
      mode: 'relay',
      status,
      totalBytes: 8,
      deliveredBytes: 0,
      failureCode: null,
      createdAt: '',
      updatedAt: '2026-12-01T10:00:00.000Z',
      expiresAt: '',
    },
    direction,
    bytes: 0,
    problem: null,
    saved: false,
  };
}

const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** The notifications with DevicesService stood in by its signals, and the plugins faked. */
function setUp({ native, permission = 'granted' }: { native: boolean; permission?: string }) {
  const devices = {
    transfers: signal<TransferState[]>([]),
    thisDeviceId: signal<string | null>(null),
    deviceName: (id: string) => (id === 'laptop' ? 'Firefox on Linux' : id),
  };
  let appStateListener: (state: { isActive: boolean }) => void = () => undefined;
  const appState = {
    getState: vi.fn(async () => ({ isActive: true })),
    addListener: vi.fn(async (_event: string, listener: (state: { isActive: boolean }) => void) => {
      appStateListener = listener;
      return { remove: async () => undefined };
    }),
  };
  let tapListener: (action: { notification: { extra?: unknown } }) => void = () => undefined;
  const plugin = {
    display: permission,
    checkPermissions: vi.fn(async () => ({ display: plugin.display as PermissionState })),
    requestPermissions: vi.fn(async () => {
      plugin.display = 'granted';
      return { display: 'granted' as PermissionState };
    }),
    schedule: vi.fn(async () => ({})),
    addListener: vi.fn(async (_event: string, listener: typeof tapListener) => {
      tapListener = listener;
      return {};
    }),
  };
  const router = { navigateByUrl: vi.fn(async () => true) };
  TestBed.configureTestingModule({
    providers: [
      { provide: IS_NATIVE, useValue: native },
      { provide: DevicesService, useValue: devices },
      { provide: APP_STATE_PLUGIN, useValue: appState },
      { provide: LOCAL_NOTIFICATIONS, useValue: plugin },
      { provide: Router, useValue: router },
    ],
  });
  return {
    devices,
    plugin,
    router,
    start: async () => {
      TestBed.inject(OfferNotifications);
      TestBed.tick();
      await flush();
    },
    background: async (inBackground: boolean) => {
      appStateListener({ isActive: !inBackground });
      TestBed.tick();
      await flush();
    },
    offers: async (list: TransferState[]) => {
      devices.transfers.set(list);
      TestBed.tick();
      await flush();
    },
    tap: (extra: unknown) => tapListener({ notification: { extra } }),
  };
}

describe('OfferWatch', () => {
  it('takes each new incoming pending offer once, and nothing else', () => {
    const watch = new OfferWatch();
    const ids = (list: TransferState[]) => list.map((e) => e.transfer.id);
    expect(ids(watch.take([entry('a', 'pending'), entry('b', 'pending', 'out'), entry('c', 'streaming')]))).toEqual([
      'a',
    ]);
    expect(ids(watch.take([entry('a', 'pending'), entry('d', 'pending')]))).toEqual(['d']);
    expect(watch.take([entry('a', 'accepted'), entry('d', 'pending')])).toEqual([]);
  });
});

describe('OfferNotifications on a phone', () => {
  it('notifies of an offer that arrives in the background with the sender and file names, once', async () => {
    const app = setUp({ native: true });
    await app.start();
    await app.background(true);
    await app.offers([entry('t1', 'pending')]);
    await app.offers([entry('t1', 'pending'), entry('t2', 'pending', 'out')]);

    expect(app.plugin.schedule).toHaveBeenCalledTimes(1);
    expect(app.plugin.schedule).toHaveBeenCalledWith({
      notifications: [
        {
          id: notificationId('t1'),
          title: 'Files from Firefox on Linux',
          body: 'notes.txt, photo.jpg — tap to accept or decline.',
          extra: { route: '/devices', transferId: 't1' },
          isExactNotification: false,
        },
      ],
    });
  });

  it('says nothing of an offer seen in the foreground, even after the app goes to the background', async () => {
    const app = setUp({ native: true });
    await app.start();
    await app.offers([entry('t1', 'pending')]);
    await app.background(true);
    await app.offers([entry('t1', 'pending')]);
    expect(app.plugin.schedule).not.toHaveBeenCalled();
  });

  it('asks for permission once this phone is a device and in the foreground, and only once', async () => {
    const app = setUp({ native: true, permission: 'prompt' });
    await app.start();
    expect(app.plugin.requestPermissions).not.toHaveBeenCalled();
    app.devices.thisDeviceId.set('phone');
    TestBed.tick();
    await flush();
    app.devices.thisDeviceId.set('phone-again');
    TestBed.tick();
    await flush();
    expect(app.plugin.requestPermissions).toHaveBeenCalledTimes(1);
  });

  it('shows nothing without permission, and never asks from the background', async () => {
    const app = setUp({ native: true, permission: 'denied' });
    await app.start();
    await app.background(true);
    app.devices.thisDeviceId.set('phone');
    await app.offers([entry('t1', 'pending')]);
    expect(app.plugin.requestPermissions).not.toHaveBeenCalled();
    expect(app.plugin.schedule).not.toHaveBeenCalled();
  });

  it('opens the devices screen when a notification is tapped', async () => {
    const app = setUp({ native: true });
    await app.start();
    app.tap({ route: '/devices', transferId: 't1' });
    expect(app.router.navigateByUrl).toHaveBeenCalledWith('/devices');
  });
});

describe('OfferNotifications in a browser', () => {
  afterEach(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  });

  function browser(permission: NotificationPermission) {
    const shown: { title: string; options?: NotificationOptions; notification: { onclick: (() => void) | null } }[] =
      [];
    const requestPermission = vi.fn();
    const api = class {
      static permission = permission;
      static requestPermission = requestPermission;
      onclick: (() => void) | null = null;
      close = vi.fn();
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, options, notification: this });
      }
    };
    return { api: api as unknown as BrowserNotificationApi, shown, requestPermission };
  }

  async function hiddenPage(permission: NotificationPermission) {
    const fake = browser(permission);
    const app = setUp({ native: false });
    TestBed.overrideProvider(BROWSER_NOTIFICATIONS, { useValue: fake.api });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    await app.start();
    app.devices.thisDeviceId.set('phone');
    await app.offers([entry('t1', 'pending')]);
    return { ...fake, app };
  }

  it('uses a permission already granted, and a click opens the devices screen', async () => {
    const { shown, app } = await hiddenPage('granted');
    expect(shown.map(({ title, options }) => ({ title, options }))).toEqual([
      {
        title: 'Files from Firefox on Linux',
        options: { body: 'notes.txt, photo.jpg — tap to accept or decline.', tag: 't1' },
      },
    ]);
    shown[0]!.notification.onclick!();
    expect(app.router.navigateByUrl).toHaveBeenCalledWith('/devices');
    expect(app.plugin.schedule).not.toHaveBeenCalled();
  });

  it('shows nothing and asks nothing when permission was not given', async () => {
    const { shown, requestPermission } = await hiddenPage('default');
    expect(shown).toEqual([]);
    expect(requestPermission).not.toHaveBeenCalled();
  });
});
