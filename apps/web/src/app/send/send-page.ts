import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { formatBytes, formatDuration, groupPickupCode } from '@lexy/client-api';
import { toDataURL } from 'qrcode';
import { isBusy, summarize, type UploadItem, UploadService } from '@lexy/client-state';
import { FileDropDirective } from './file-drop.directive';

/** Item controls named after their file when several are listed ("Show QR code of a.pdf"). */
const ITEM_LABELS = {
  showQr: (name: string) => $localize`:@@send.showQrLabel:Show QR code of ${name}:name:`,
  copy: (name: string) => $localize`:@@send.copyLabel:Copy code of ${name}:name:`,
};

/**
 * The Send page: files chosen or dropped anywhere on it are uploaded one after another, each
 * with its own pickup code. One file looks as it always did; several get an overall count.
 */
@Component({
  selector: 'lexy-send-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './send-page.html',
  styleUrl: './send-page.css',
  imports: [FileDropDirective],
})
export class SendPage {
  private readonly uploads = inject(UploadService);
  private readonly clipboard = inject(Clipboard);
  protected readonly state = this.uploads.state;
  protected readonly items = computed(() => this.state().items);
  protected readonly several = computed(() => this.items().length > 1);
  /** The picker while nothing has been sent (or all failed), as the page always began. */
  protected readonly showPicker = computed(() => this.items().every((item) => item.phase === 'failed'));
  protected readonly busy = computed(() => isBusy(this.items()));
  protected readonly summary = computed(() => summarize(this.items()));
  protected readonly pin = signal('');
  protected readonly downloadLimit = signal<number | null>(null);
  /** The item whose code was copied last. */
  protected readonly copiedId = signal<number | null>(null);
  protected readonly qrCode = signal<string | null>(null);
  protected readonly labels = ITEM_LABELS;
  protected readonly groupPickupCode = groupPickupCode;

  constructor() {
    const selectedShareUrl = computed(() => {
      const { items, selectedId } = this.state();
      return items.find((item) => item.id === selectedId)?.file?.shareUrl ?? null;
    });
    effect(() => {
      const shareUrl = selectedShareUrl();
      this.qrCode.set(null);
      if (shareUrl) void toDataURL(shareUrl, { margin: 1, width: 200 }).then((url) => this.qrCode.set(url));
    });
  }

  protected choose(input: HTMLInputElement): void {
    this.add(Array.from(input.files ?? []));
    input.value = '';
  }

  protected add(files: File[]): void {
    this.uploads.add(files, { pin: this.pin() || undefined, downloadLimit: this.downloadLimit() });
  }

  protected speed(item: UploadItem): string | null {
    return item.bytesPerSecond === null ? null : `${formatBytes(item.bytesPerSecond)}/s`;
  }

  protected timeLeft(item: UploadItem): string | null {
    return item.secondsLeft === null ? null : formatDuration(item.secondsLeft);
  }

  protected expires(item: UploadItem): string | null {
    const expiresAt = item.file?.expiresAt;
    return expiresAt ? new Date(expiresAt).toLocaleString() : null;
  }

  protected pause(): void {
    this.uploads.pause();
  }

  protected resume(): void {
    this.uploads.resume();
  }

  protected select(item: UploadItem): void {
    this.uploads.select(item.id);
  }

  protected sendAnother(): void {
    this.uploads.reset();
  }

  protected copyCode(item: UploadItem): void {
    const code = item.file?.code;
    if (code) this.copiedId.set(this.clipboard.copy(code) ? item.id : null);
  }

  protected setDownloadLimit(value: string): void {
    const limit = Number.parseInt(value, 10);
    this.downloadLimit.set(Number.isFinite(limit) && limit > 0 ? limit : null);
  }
}
