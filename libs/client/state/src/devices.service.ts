import { Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import {
  ApiError,
  RelayConnection,
  TransferStreams,
  isTransferEvent,
  type ConnectionStatus,
  type DeviceView,
  type ServerEvent,
  type TransferView,
} from '@lexy/client-api';
import { API_CLIENT } from './api';
import { DEVICE_IDENTITY } from './device-identity';
import { deviceKey } from './device-name';
import { describeErrorLocalized } from './error-texts';
import { FileSaver } from './save-file';
import { SessionStore } from './session.store';

/** A transfer as this browser sees it: the server's view plus the bytes moved and what went wrong. */
export interface TransferState {
  transfer: TransferView;
  direction: 'in' | 'out';
  bytes: number;
  /** Plain words for a failure, or for a stream waiting on the other device. */
  problem: string | null;
  /** An incoming transfer's files were checked and handed to the browser's downloads. */
  saved: boolean;
}

export const RUNNING: ReadonlySet<TransferView['status']> = new Set(['pending', 'accepted', 'streaming']);

/** How often a refused socket (the device or token no longer good) is set up again before giving up. */
const MAX_RESTARTS = 3;

/**
 * This browser as one of the account's devices: registered once per account (its id kept in
 * localStorage by user id, registered again when the server no longer knows it), its /ws socket
 * open while signed in, and the account's devices, offers and transfers as signals.
 */
@Injectable({ providedIn: 'root' })
export class DevicesService {
  private readonly api = inject(API_CLIENT);
  private readonly session = inject(SessionStore);
  private readonly saver = inject(FileSaver);
  private readonly identity = inject(DEVICE_IDENTITY);

  readonly thisDeviceId = signal<string | null>(null);
  readonly devices = signal<DeviceView[]>([]);
  readonly connection = signal<ConnectionStatus>('stopped');
  readonly transfers = signal<TransferState[]>([]);
  readonly error = signal<string | null>(null);

  readonly otherDevices = computed(() => this.devices().filter((device) => device.id !== this.thisDeviceId()));
  readonly thisDevice = computed(() => this.devices().find((device) => device.id === this.thisDeviceId()) ?? null);

  private socket: RelayConnection | null = null;
  private streams: TransferStreams | null = null;
  private userId: string | null = null;
  private restarts = 0;

  constructor() {
    effect(() => {
      const user = this.session.user();
      untracked(() => {
        if (user && user.group !== 'anonymous') {
          if (user.id !== this.userId) void this.start(user.id);
        } else this.stop();
      });
    });
  }

  /** Offers files to another of the account's devices; they stream once it accepts. */
  async send(toDeviceId: string, files: readonly File[]): Promise<void> {
    const fromDeviceId = this.thisDeviceId();
    if (!fromDeviceId || files.length === 0) return;
    await this.attempt(async () => {
      const { transfer } = await this.api.offerRelay({
        fromDeviceId,
        toDeviceId,
        files: files.map((file) => ({
          name: file.name,
          size: file.size,
          mimeType: file.type || 'application/octet-stream',
        })),
      });
      this.streams?.offer(transfer.id, files);
      this.upsert(transfer);
    });
  }

  accept(id: string): Promise<void> {
    return this.attempt(async () => this.upsert((await this.api.acceptTransfer(id)).transfer));
  }

  reject(id: string): Promise<void> {
    return this.attempt(async () => this.upsert((await this.api.rejectTransfer(id)).transfer));
  }

  cancel(id: string): Promise<void> {
    return this.attempt(async () => this.upsert((await this.api.cancelTransfer(id)).transfer));
  }

  deviceName(id: string): string {
    return this.devices().find((device) => device.id === id)?.name ?? id;
  }

  private async start(userId: string): Promise<void> {
    this.stop();
    this.userId = userId;
    await this.attempt(async () => {
      const deviceId = await this.ensureDevice(userId);
      if (this.userId !== userId) return;
      this.thisDeviceId.set(deviceId);
      this.connect(deviceId);
    });
  }

  private stop(): void {
    this.socket?.stop();
    this.socket = this.streams = null;
    this.userId = null;
    this.thisDeviceId.set(null);
    this.devices.set([]);
    this.transfers.set([]);
    this.connection.set('stopped');
  }

  private async ensureDevice(userId: string): Promise<string> {
    const stored = globalThis.localStorage?.getItem(deviceKey(userId));
    const { items } = await this.api.devices();
    this.devices.set(items);
    if (stored && items.some((device) => device.id === stored)) return stored;
    const { name, platform } = this.identity();
    const { device } = await this.api.registerDevice({ name, platform });
    globalThis.localStorage?.setItem(deviceKey(userId), device.id);
    this.devices.set([...items, device]);
    return device.id;
  }

  private connect(deviceId: string): void {
    const socket = new RelayConnection({
      url: this.api.socketUrl,
      deviceId,
      accessToken: () => this.session.accessToken(),
      onEvent: (event) => this.onEvent(event),
      onFrame: (frame) => this.streams?.receiveFrame(frame),
      onStatus: (status) => this.onStatus(status),
    });
    this.streams = new TransferStreams({
      deviceId,
      channel: socket,
      onProgress: (id, bytes) => this.patch(id, { bytes, problem: null }),
      onReceived: (transfer, files) => {
        for (const file of files) void this.saver.save(file);
        this.patch(transfer.id, { saved: true, bytes: transfer.totalBytes });
      },
    });
    this.socket = socket;
    socket.start();
  }

  private onStatus(status: ConnectionStatus): void {
    this.connection.set(status);
    if (status === 'waiting') this.streams?.connectionLost();
    if (status === 'ready') this.restarts = 0;
    if (status === 'refused' && this.userId && this.restarts < MAX_RESTARTS) {
      // The device may have been removed elsewhere: register again if so, and reconnect.
      this.restarts += 1;
      const userId = this.userId;
      void this.start(userId);
    }
  }

  private onEvent(event: ServerEvent): void {
    this.streams?.handle(event);
    if (isTransferEvent(event)) {
      this.upsert(event.transfer);
      return;
    }
    switch (event.type) {
      case 'ready':
        void this.attempt(async () => this.devices.set((await this.api.devices()).items));
        void this.attempt(() => this.catchUp());
        break;
      case 'device.online':
      case 'device.offline': {
        const online = event.type === 'device.online';
        if (!this.devices().some((device) => device.id === event.deviceId)) {
          void this.attempt(async () => this.devices.set((await this.api.devices()).items));
        }
        this.devices.update((devices) =>
          devices.map((device) => (device.id === event.deviceId ? { ...device, online } : device)),
        );
        break;
      }
      case 'error':
        if (event.transferId && event.code === 'PEER_GONE') {
          this.patch(event.transferId, {
            problem: $localize`:@@devices.peerGone:The other device went away; waiting for it to come back.`,
          });
        }
        break;
    }
  }

  /**
   * What happened while the socket was away (or before this page was open): the account's
   * running transfers from the server. An offer of this browser accepted meanwhile never sent its
   * `transfer.accepted` here, so its files start streaming now.
   */
  private async catchUp(): Promise<void> {
    const { items } = await this.api.transfers();
    for (const transfer of items) {
      if (!RUNNING.has(transfer.status)) continue;
      const seen = this.transfers().find((entry) => entry.transfer.id === transfer.id)?.transfer.status;
      this.upsert(transfer);
      const missedAccept = transfer.status === 'accepted' && (seen === undefined || seen === 'pending');
      if (missedAccept && transfer.fromDeviceId === this.thisDeviceId()) {
        this.streams?.handle({ type: 'transfer.accepted', transfer });
      }
    }
  }

  /** Keeps the newest view of each transfer; newest transfers first. */
  private upsert(transfer: TransferView): void {
    const me = this.thisDeviceId();
    this.transfers.update((list) => {
      const known = list.find((entry) => entry.transfer.id === transfer.id);
      if (known && Date.parse(known.transfer.updatedAt) > Date.parse(transfer.updatedAt)) return list;
      const problem = transfer.failureCode
        ? describeErrorLocalized(new ApiError(0, transfer.failureCode as ApiError['code'], ''))
        : transfer.status === 'streaming'
          ? (known?.problem ?? null)
          : null;
      const next: TransferState = {
        transfer,
        direction: transfer.fromDeviceId === me ? 'out' : 'in',
        bytes: transfer.status === 'completed' ? transfer.totalBytes : (known?.bytes ?? 0),
        problem,
        saved: known?.saved ?? false,
      };
      return known ? list.map((entry) => (entry === known ? next : entry)) : [next, ...list];
    });
  }

  private patch(id: string, change: Partial<TransferState>): void {
    this.transfers.update((list) => list.map((entry) => (entry.transfer.id === id ? { ...entry, ...change } : entry)));
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    this.error.set(null);
    try {
      await action();
    } catch (error) {
      this.error.set(describeErrorLocalized(error));
    }
  }
}
