import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import {
  IonAccordion,
  IonAccordionGroup,
  IonButton,
  IonCard,
  IonCardContent,
  IonContent,
  IonHeader,
  IonInput,
  IonItem,
  IonLabel,
  IonList,
  IonProgressBar,
  IonText,
  IonTitle,
  IonToolbar,
} from '@ionic/angular';
import { formatBytes, formatDuration } from '@lexy/client-api';
import { isBusy, type UploadItem } from '@lexy/client-state';
import { DeviceFilePicker } from '../platform/device-file-picker';
import { LinkShare } from '../platform/link-share';
import type { PickedFile } from '../platform/native-file';
import { QR_IMAGE } from './qr-image';
import { SendQueue, type RestoredUpload } from './send-queue';

/** Names of controls and images that carry the file's name or code (several may be listed). */
const TEXTS = {
  progressOf: (name: string) => $localize`:@@mobile.home.progressOf:Upload progress of ${name}:name:`,
  qrAlt: (code: string) => $localize`:@@mobile.home.qrAlt:QR code for pickup code ${code}:code:`,
  shareTitle: (code: string) => $localize`:@@mobile.home.shareTitle:Pickup code ${code}:code:`,
  linkCopied: () => $localize`:@@mobile.home.linkCopied:The link was copied. Paste it where you want to share it.`,
  shared: () => $localize`:@@mobile.home.shared:Shared.`,
  codeCopied: () => $localize`:@@mobile.home.codeCopied:Code copied.`,
  notCopied: () => $localize`:@@mobile.home.notCopied:Could not copy. Select the code and copy it yourself.`,
  pickFailed: () => $localize`:@@mobile.home.pickFailed:The files could not be read. Try choosing them again.`,
  unreadableShared: (count: number) =>
    $localize`:@@mobile.home.unreadableShared:${count}:count: of the shared files could not be read.`,
  paused: () => $localize`:@@mobile.home.paused:Paused`,
  finishing: () => $localize`:@@mobile.home.finishing:Almost done`,
  speed: (bytesPerSecond: number) => $localize`:@@mobile.home.speed:${formatBytes(bytesPerSecond)}:speed:/s`,
  timeLeft: (seconds: number) => $localize`:@@mobile.home.timeLeft:${formatDuration(seconds)}:time: left`,
};

/**
 * The Send screen: files or photos are picked (the phone's pickers, or file inputs in a browser)
 * and uploaded one after another, each with its own pickup code, QR code and share button.
 */
@Component({
  selector: 'lexy-home-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonButton,
    IonAccordionGroup,
    IonAccordion,
    IonItem,
    IonLabel,
    IonInput,
    IonList,
    IonProgressBar,
    IonCard,
    IonCardContent,
    IonText,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './home-page.html',
  styleUrl: './home-page.css',
})
export class HomePage {
  protected readonly queue = inject(SendQueue);
  private readonly picker = inject(DeviceFilePicker);
  private readonly linkShare = inject(LinkShare);
  private readonly clipboard = inject(Clipboard);
  private readonly qrImage = inject(QR_IMAGE);
  protected readonly texts = TEXTS;

  protected readonly items = this.queue.items;
  protected readonly restored = this.queue.restored;
  protected readonly busy = computed(() => isBusy(this.items()));
  protected readonly anyDone = computed(() => this.items().some((item) => item.phase === 'done'));
  /** QR images of the finished files' links, by item id. */
  protected readonly qrCodes = signal<ReadonlyMap<number, string>>(new Map());
  private readonly qrDrawn = new Set<number>();
  /** What the last share or copy did, said next to the item it was for. */
  protected readonly notice = signal<{ itemId: number; text: string } | null>(null);
  protected readonly pickError = signal<string | null>(null);
  /** The PINs typed for restored uploads that wait for one, by record id. */
  protected readonly restoredPins = signal<Readonly<Record<string, string>>>({});

  constructor() {
    effect(() => {
      for (const item of this.items()) {
        const file = item.file;
        if (item.phase !== 'done' || !file || this.qrDrawn.has(item.id)) continue;
        this.qrDrawn.add(item.id);
        // The link carries the token too, so that a scan opens the pickup at once.
        void this.qrImage(file.shareUrl ?? file.code).then((url) =>
          this.qrCodes.update((codes) => new Map(codes).set(item.id, url)),
        );
      }
    });
  }

  protected async pick(kind: 'files' | 'photos', input: HTMLInputElement): Promise<void> {
    this.pickError.set(null);
    // A browser opens its picker only from the click itself, so the input is clicked at once.
    if (!this.picker.native) {
      input.click();
      return;
    }
    try {
      this.queue.send(await this.picker.pick(kind));
    } catch {
      this.pickError.set(TEXTS.pickFailed());
    }
  }

  protected chosen(input: HTMLInputElement): void {
    const picked: PickedFile[] = Array.from(input.files ?? [], (file) => ({ file, nativePath: null }));
    input.value = '';
    this.queue.send(picked);
  }

  protected setPin(value: string | null | undefined): void {
    this.queue.pin.set((value ?? '').trim());
  }

  protected setDownloadLimit(value: string | number | null | undefined): void {
    const limit = Number.parseInt(String(value ?? ''), 10);
    this.queue.downloadLimit.set(Number.isFinite(limit) && limit > 0 ? limit : null);
  }

  protected async share(item: UploadItem): Promise<void> {
    const file = item.file;
    if (!file?.shareUrl) return;
    try {
      const outcome = await this.linkShare.share(file.shareUrl, TEXTS.shareTitle(file.code));
      if (outcome === 'copied') this.notice.set({ itemId: item.id, text: TEXTS.linkCopied() });
      else if (outcome === 'shared') this.notice.set({ itemId: item.id, text: TEXTS.shared() });
    } catch {
      this.notice.set({ itemId: item.id, text: TEXTS.notCopied() });
    }
  }

  protected copyCode(item: UploadItem): void {
    const code = item.file?.code;
    if (!code) return;
    this.notice.set({ itemId: item.id, text: this.clipboard.copy(code) ? TEXTS.codeCopied() : TEXTS.notCopied() });
  }

  protected setRestoredPin(recordId: string, value: string | null | undefined): void {
    this.restoredPins.update((pins) => ({ ...pins, [recordId]: value ?? '' }));
  }

  protected resumeRestored(restored: RestoredUpload): void {
    this.queue.resumeWithPin(restored.record.id, this.restoredPins()[restored.record.id] ?? '');
  }

  protected sendMore(): void {
    this.notice.set(null);
    this.qrCodes.set(new Map());
    this.qrDrawn.clear();
    this.queue.reset();
  }

  protected percentOfRestored(restored: RestoredUpload): number | null {
    return this.items().find((item) => item.id === restored.itemId)?.percent ?? null;
  }

  /** "40 % · 2.1 MB/s · 1 min left", or "… · Paused". */
  protected progressText(item: UploadItem): string {
    const parts = [`${item.percent} %`];
    if (item.bytesPerSecond !== null) parts.push(TEXTS.speed(item.bytesPerSecond));
    if (item.secondsLeft !== null && item.phase === 'uploading') parts.push(TEXTS.timeLeft(item.secondsLeft));
    if (item.phase === 'paused') parts.push(TEXTS.paused());
    if (item.phase === 'finishing') parts.push(TEXTS.finishing());
    return parts.join(' · ');
  }

  protected expires(item: UploadItem): string | null {
    const expiresAt = item.file?.expiresAt;
    return expiresAt ? new Date(expiresAt).toLocaleString() : null;
  }

  protected readonly formatBytes = formatBytes;
}
