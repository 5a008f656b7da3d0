import { effect, inject, Injectable, InjectionToken, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { LocalNotifications } from '@capacitor/local-notifications';
import { DevicesService, type TransferState } from '@lexy/client-state';
import { AppActivity } from './app-activity';
import { IS_NATIVE } from './native-platform';

/** Where a tapped notification leads. */
const DEVICES_ROUTE = '/devices';

/** What a notification of an offer says. */
export interface OfferNotice {
  /** A 31-bit number from the transfer id: Android wants an int, and one per offer replaces itself. */
  id: number;
  transferId: string;
  title: string;
  body: string;
}

/** The part of @capacitor/local-notifications this needs, so that tests can stand in for it. */
export interface LocalNotificationsPlugin {
  checkPermissions(): Promise<{ display: PermissionState | 'prompt-with-rationale' }>;
  requestPermissions(): Promise<{ display: PermissionState | 'prompt-with-rationale' }>;
  schedule(options: {
    notifications: { id: number; title: string; body: string; extra?: unknown; isExactNotification?: boolean }[];
  }): Promise<unknown>;
  addListener(
    event: 'localNotificationActionPerformed',
    listener: (action: { notification: { extra?: unknown } }) => void,
  ): Promise<unknown>;
}

/** The part of the browser's Notification API this needs. */
export interface BrowserNotificationApi {
  readonly permission: NotificationPermission;
  new (title: string, options?: NotificationOptions): { onclick: ((event: Event) => unknown) | null; close(): void };
}

export const LOCAL_NOTIFICATIONS = new InjectionToken<LocalNotificationsPlugin>('LOCAL_NOTIFICATIONS', {
  providedIn: 'root',
  factory: () => LocalNotifications as unknown as LocalNotificationsPlugin,
});

export const BROWSER_NOTIFICATIONS = new InjectionToken<BrowserNotificationApi | null>('BROWSER_NOTIFICATIONS', {
  providedIn: 'root',
  factory: () => (globalThis as { Notification?: BrowserNotificationApi }).Notification ?? null,
});

/** Remembers which offers were seen, so that each is told of once at most. */
export class OfferWatch {
  private readonly seen = new Set<string>();

  /** The incoming offers among these not seen before; from now on they count as seen. */
  take(transfers: readonly TransferState[]): TransferState[] {
    const fresh = transfers.filter(
      (entry) => entry.direction === 'in' && entry.transfer.status === 'pending' && !this.seen.has(entry.transfer.id),
    );
    for (const entry of fresh) this.seen.add(entry.transfer.id);
    return fresh;
  }
}

export function offerNotice(entry: TransferState, senderName: string): OfferNotice {
  const names = entry.transfer.files.map((file) => file.name).join(', ');
  return {
    id: notificationId(entry.transfer.id),
    transferId: entry.transfer.id,
    title: $localize`:@@mobile.notify.title:Files from ${senderName}:sender:`,
    body: $localize`:@@mobile.notify.body:${names}:names: — tap to accept or decline.`,
  };
}

/** FNV-1a of the id, kept to 31 bits (positive and within Android's int). */
export function notificationId(transferId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < transferId.length; i++) {
    hash ^= transferId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

/** How notices reach the person: the phone's notifications, or the browser's. */
interface Notifier {
  /** Asks for permission if it was never asked; called while the person is looking. */
  prepare(): Promise<void>;
  show(notice: OfferNotice): Promise<void>;
}

class PhoneNotifier implements Notifier {
  private asked: Promise<void> | null = null;

  constructor(
    private readonly plugin: LocalNotificationsPlugin,
    openDevices: () => void,
  ) {
    void plugin.addListener('localNotificationActionPerformed', ({ notification }) => {
      if ((notification.extra as { route?: string } | undefined)?.route === DEVICES_ROUTE) openDevices();
    });
  }

  prepare(): Promise<void> {
    this.asked ??= (async () => {
      const { display } = await this.plugin.checkPermissions();
      if (display === 'prompt' || display === 'prompt-with-rationale') await this.plugin.requestPermissions();
    })().catch(() => undefined);
    return this.asked;
  }

  async show(notice: OfferNotice): Promise<void> {
    // Never a permission prompt from the background: without a yes given earlier, nothing is shown.
    const { display } = await this.plugin.checkPermissions();
    if (display !== 'granted') return;
    await this.plugin.schedule({
      notifications: [
        {
          id: notice.id,
          title: notice.title,
          body: notice.body,
          extra: { route: DEVICES_ROUTE, transferId: notice.transferId },
          // Shown now, not at a set time: no exact alarm, so no "Alarms & reminders" settings screen.
          isExactNotification: false,
        },
      ],
    });
  }
}

class BrowserNotifier implements Notifier {
  constructor(
    private readonly api: BrowserNotificationApi | null,
    private readonly openDevices: () => void,
  ) {}

  /** A web page asks for nothing by itself: only a permission given already is used. */
  async prepare(): Promise<void> {}

  async show(notice: OfferNotice): Promise<void> {
    if (this.api?.permission !== 'granted') return;
    const notification = new this.api(notice.title, { body: notice.body, tag: notice.transferId });
    notification.onclick = () => {
      globalThis.focus?.();
      this.openDevices();
      notification.close();
    };
  }
}

/**
 * Tells the person of an offer from another of their devices while they are not looking at the
 * app (in the background on a phone, a hidden tab in a browser): the sender's name and the file
 * names; tapping leads to the devices screen to accept or decline. On a phone, permission is asked
 * the first time it can be needed: once this phone is registered as a device, in the foreground.
 */
@Injectable({ providedIn: 'root' })
export class OfferNotifications {
  private readonly devices = inject(DevicesService);
  private readonly activity = inject(AppActivity);
  private readonly router = inject(Router);
  private readonly watch = new OfferWatch();
  private readonly notifier: Notifier;

  constructor() {
    const openDevices = () => void this.router.navigateByUrl(DEVICES_ROUTE);
    this.notifier = inject(IS_NATIVE)
      ? new PhoneNotifier(inject(LOCAL_NOTIFICATIONS), openDevices)
      : new BrowserNotifier(inject(BROWSER_NOTIFICATIONS), openDevices);

    effect(() => {
      const transfers = this.devices.transfers();
      untracked(() => this.tell(transfers));
    });
    effect(() => {
      if (this.devices.thisDeviceId() && this.activity.active()) untracked(() => void this.notifier.prepare());
    });
  }

  private tell(transfers: readonly TransferState[]): void {
    // Offers seen while the person looks at the app are marked seen too: no notice for them later.
    const fresh = this.watch.take(transfers);
    if (this.activity.active()) return;
    for (const entry of fresh) {
      const notice = offerNotice(entry, this.devices.deviceName(entry.transfer.fromDeviceId));
      void this.notifier.show(notice).catch(() => undefined);
    }
  }
}
