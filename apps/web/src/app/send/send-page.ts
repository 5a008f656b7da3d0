import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { formatBytes, formatDuration, groupPickupCode } from '@lexy/client-api';
import { toDataURL } from 'qrcode';
import { UploadService } from '../core/upload.service';

@Component({
  selector: 'lexy-send-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './send-page.html',
  styleUrl: './send-page.css',
})
export class SendPage {
  private readonly uploads = inject(UploadService);
  private readonly clipboard = inject(Clipboard);
  protected readonly state = this.uploads.state;
  protected readonly pin = signal('');
  protected readonly downloadLimit = signal<number | null>(null);
  protected readonly copied = signal(false);
  protected readonly qrCode = signal<string | null>(null);
  protected readonly groupedCode = computed(() => groupPickupCode(this.state().file?.code ?? ''));
  protected readonly speed = computed(() => {
    const { bytesPerSecond } = this.state();
    return bytesPerSecond === null ? null : `${formatBytes(bytesPerSecond)}/s`;
  });
  protected readonly timeLeft = computed(() => {
    const { secondsLeft } = this.state();
    return secondsLeft === null ? null : formatDuration(secondsLeft);
  });
  protected readonly expires = computed(() => {
    const expiresAt = this.state().file?.expiresAt;
    return expiresAt ? new Date(expiresAt).toLocaleString() : null;
  });

  constructor() {
    effect(() => {
      const shareUrl = this.state().file?.shareUrl;
      this.qrCode.set(null);
      if (shareUrl) void toDataURL(shareUrl, { margin: 1, width: 200 }).then((url) => this.qrCode.set(url));
    });
  }

  protected choose(input: HTMLInputElement): void {
    const file = input.files?.[0];
    if (!file) return;
    this.copied.set(false);
    void this.uploads.start(file, { pin: this.pin() || undefined, downloadLimit: this.downloadLimit() });
    input.value = '';
  }

  protected pause(): void {
    this.uploads.pause();
  }

  protected resume(): void {
    this.uploads.resume();
  }

  protected sendAnother(): void {
    this.uploads.reset();
  }

  protected copyCode(): void {
    const code = this.state().file?.code;
    if (code) this.copied.set(this.clipboard.copy(code));
  }

  protected setDownloadLimit(value: string): void {
    const limit = Number.parseInt(value, 10);
    this.downloadLimit.set(Number.isFinite(limit) && limit > 0 ? limit : null);
  }
}
