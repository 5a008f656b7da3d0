import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { Clipboard } from '@angular/cdk/clipboard';
import { formatBytes, formatDuration, groupPickupCode, type FileView } from '@lexy/client-api';
import { MyFilesService } from '@lexy/client-state';

/**
 * Each row's controls named after their file ("Delete report.pdf"), so that a screen reader's
 * list of buttons tells them apart; the visible words stay at the start of the name.
 */
const ROW_LABELS = {
  shareLink: (name: string) => $localize`:@@files.shareLinkLabel:Share link of ${name}:name:`,
  copy: (name: string) => $localize`:@@files.copyLabel:Copy code of ${name}:name:`,
  restore: (name: string) => $localize`:@@files.restoreLabel:Restore ${name}:name:`,
  delete: (name: string) => $localize`:@@files.deleteLabel:Delete ${name}:name:`,
};

/** How often the countdowns move on; they show seconds only in their last minute. */
const TICK_MS = 1000;

/** "My files": each file's status, the time until it expires or is purged, and its actions. */
@Component({
  selector: 'lexy-files-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './files-page.html',
  styleUrl: './files-page.css',
  providers: [MyFilesService],
})
export class FilesPage {
  private readonly myFiles = inject(MyFilesService);
  private readonly clipboard = inject(Clipboard);
  protected readonly state = this.myFiles.state;
  protected readonly now = signal(Date.now());
  /** The file whose code was copied last, to say so next to its button. */
  protected readonly copiedId = signal<string | null>(null);
  protected readonly labels = ROW_LABELS;
  protected readonly formatBytes = formatBytes;
  protected readonly groupPickupCode = groupPickupCode;

  constructor() {
    void this.myFiles.load();
    const timer = setInterval(() => this.now.set(Date.now()), TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** Until expiry for an active file, until the purge for an expired one (its redemption window). */
  protected countdown(file: FileView): string {
    const until = file.status === 'active' ? file.expiresAt : file.purgeAt;
    if (!until) return file.status === 'active' ? $localize`:@@files.noExpiry:Does not expire` : '';
    const left = formatDuration((Date.parse(until) - this.now()) / 1000);
    return file.status === 'active'
      ? $localize`:@@files.expiresIn:Expires in ${left}:left:`
      : $localize`:@@files.purgedIn:Deleted for good in ${left}:left:`;
  }

  protected isBusy(file: FileView): boolean {
    return this.state().busy.has(file.id);
  }

  protected delete(file: FileView): void {
    const question = $localize`:@@files.confirmDelete:Delete “${file.name}:name:” for good? Its code and share link stop working at once.`;
    if (!globalThis.confirm(question)) return;
    void this.myFiles.remove(file);
  }

  protected restore(file: FileView): void {
    void this.myFiles.restore(file);
  }

  protected copyCode(file: FileView): void {
    this.copiedId.set(this.clipboard.copy(file.code) ? file.id : null);
  }
}
