import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { ApiError } from '@lexy/client-api';
import { API_CLIENT, TUS, UploadService, type UploadItem, type UploadOptions } from '@lexy/client-state';
import { AppForeground } from '../platform/app-foreground';
import type { PickedFile } from '../platform/native-file';
import { PENDING_UPLOADS, type PendingUpload } from '../platform/pending-uploads';
import { ShareTargetInbox } from '../platform/share-target';

/**
 * Where an upload from an earlier run of the app stands: being read back, on its way again,
 * waiting for its PIN (which was not kept), or lost (its bytes can no longer be read).
 */
export type RestoredStatus = 'reading' | 'uploading' | 'needs-pin' | 'lost';

export interface RestoredUpload {
  record: PendingUpload;
  status: RestoredStatus;
  /** The UploadService item it goes on as, once it does. */
  itemId: number | null;
}

/**
 * The Send screen's uploads as the phone sees them: everything the UploadService does, plus
 * each started upload recorded in PendingUploads until it is through, so that one cut short by
 * the app's end is taken up again at the next start; an upload the network interrupted goes on
 * when the app is back in front; and files shared to the app from other apps are sent too.
 */
@Injectable({ providedIn: 'root' })
export class SendQueue {
  private readonly uploads = inject(UploadService);
  private readonly pending = inject(PENDING_UPLOADS);
  private readonly tus = inject(TUS);
  private readonly api = inject(API_CLIENT);
  private readonly router = inject(Router);
  /** UploadService item id → the PendingUploads record kept for it. */
  private readonly tracked = new Map<number, string>();
  /** The bytes of restored uploads that wait for their PIN. */
  private readonly waitingFiles = new Map<string, File>();

  readonly state = this.uploads.state;
  readonly items = computed(() => this.state().items);
  /** The options the next files are sent with (files shared to the app included). */
  readonly pin = signal('');
  readonly downloadLimit = signal<number | null>(null);
  readonly restored = signal<RestoredUpload[]>([]);
  /** The last share from another app had files that could not be read. */
  readonly unreadableShared = signal(0);
  /** Resolves once the uploads of the earlier run have been looked at (tests wait for it). */
  readonly restoring: Promise<void>;

  constructor() {
    effect(() => this.sweep(this.items()));
    const stopForeground = inject(AppForeground).watch(() => this.uploads.retryInterrupted());
    const stopSharing = inject(ShareTargetInbox).listen(({ files, unreadable }) => {
      this.unreadableShared.set(unreadable);
      this.send(files);
      void this.router.navigateByUrl('/home');
    });
    inject(DestroyRef).onDestroy(() => {
      stopForeground();
      stopSharing();
    });
    this.restoring = this.restore();
  }

  /** Uploads the files with the current options, each recorded until it is through. */
  send(picked: readonly PickedFile[]): void {
    const options: UploadOptions = { pin: this.pin() || undefined, downloadLimit: this.downloadLimit() };
    for (const one of picked) {
      const [itemId] = this.uploads.add([one.file], options);
      if (itemId !== undefined) void this.track(itemId, one, options);
    }
  }

  pause(): void {
    this.uploads.pause();
  }

  resume(): void {
    this.uploads.resume();
  }

  retry(itemId: number): void {
    this.uploads.retry(itemId);
  }

  /** Gives one upload up: it is forgotten here, by the server and by the next start. */
  cancel(itemId: number): void {
    this.uploads.cancel(itemId);
  }

  /** Clears the finished list for the next files. */
  reset(): void {
    this.uploads.reset();
  }

  /** Sends a restored upload that waited for its PIN, with the PIN the person typed again. */
  resumeWithPin(recordId: string, pin: string): void {
    const view = this.restored().find((r) => r.record.id === recordId);
    const file = this.waitingFiles.get(recordId);
    if (!view || !file || !pin.trim()) return;
    this.waitingFiles.delete(recordId);
    this.goOn(view.record, file, { ...view.record.options, pin: pin.trim() });
  }

  /** Forgets a restored upload (one whose bytes are lost, or that the person no longer wants). */
  discard(recordId: string): void {
    const view = this.restored().find((r) => r.record.id === recordId);
    if (view?.itemId != null) this.uploads.cancel(view.itemId);
    this.waitingFiles.delete(recordId);
    this.dropRestored(recordId);
    void this.pending.remove(recordId).catch(() => undefined);
  }

  private async track(itemId: number, picked: PickedFile, options: UploadOptions): Promise<void> {
    try {
      const record = await this.pending.record(picked, options);
      this.tracked.set(itemId, record.id);
    } catch {
      // Storage full or unavailable: the upload goes on, it just cannot outlive the app.
      return;
    }
    // It may have ended while the record was being written.
    this.sweep(this.items());
  }

  /**
   * Forgets the record of each upload that has ended: done, refused for good, or cancelled (no
   * longer listed). Interrupted ones stay recorded, so that they can still go on.
   */
  private sweep(items: readonly UploadItem[]): void {
    for (const [itemId, recordId] of this.tracked) {
      const item = items.find((one) => one.id === itemId);
      const ended = !item || item.phase === 'done' || (item.phase === 'failed' && !item.retryable);
      if (!ended) continue;
      this.tracked.delete(itemId);
      this.dropRestored(recordId);
      void this.pending.remove(recordId).catch(() => undefined);
    }
  }

  /** Takes up each upload the app's last run left unfinished, oldest first. */
  private async restore(): Promise<void> {
    let records: PendingUpload[];
    try {
      records = await this.pending.list();
    } catch {
      return;
    }
    this.restored.set(records.map((record) => ({ record, status: 'reading', itemId: null })));
    for (const record of records) {
      let file: File;
      try {
        file = await this.pending.restore(record);
      } catch {
        this.setRestored(record.id, { status: 'lost' });
        continue;
      }
      // The PIN was not kept: without the upload on the server (which has it) a new upload would go out unprotected.
      if (record.hadPin && !(await this.serverHasUpload(file))) {
        this.waitingFiles.set(record.id, file);
        this.setRestored(record.id, { status: 'needs-pin' });
        continue;
      }
      this.goOn(record, file, record.options);
    }
  }

  private goOn(record: PendingUpload, file: File, options: UploadOptions): void {
    const [itemId] = this.uploads.add([file], options);
    if (itemId === undefined) return;
    this.tracked.set(itemId, record.id);
    this.setRestored(record.id, { status: 'uploading', itemId });
  }

  /** Whether tus remembers an upload of this very file that the server still has. */
  private async serverHasUpload(file: File): Promise<boolean> {
    try {
      const [previous] = await this.tus.create(file, { endpoint: this.api.uploadsEndpoint }).findPreviousUploads();
      if (!previous?.uploadUrl) return false;
      await this.api.uploadOffset(previous.uploadUrl);
      return true;
    } catch (error) {
      // Unreachable now is not gone: tus resumes it when it can (a 404 or 410 means gone).
      return !(error instanceof ApiError) || (error.status !== 404 && error.status !== 410);
    }
  }

  private setRestored(recordId: string, changes: Partial<RestoredUpload>): void {
    this.restored.update((all) => all.map((r) => (r.record.id === recordId ? { ...r, ...changes } : r)));
  }

  private dropRestored(recordId: string): void {
    this.restored.update((all) => all.filter((r) => r.record.id !== recordId));
  }
}
