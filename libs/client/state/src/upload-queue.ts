import type { FileView } from '@lexy/client-api';

/** Where one file of the Send page stands; files are uploaded one after another. */
export type UploadPhase = 'queued' | 'uploading' | 'paused' | 'finishing' | 'done' | 'failed';

export interface UploadOptions {
  pin?: string;
  downloadLimit?: number | null;
}

export interface UploadItem {
  /** This page's own number for the item (two files may share a name). */
  id: number;
  fileName: string;
  phase: UploadPhase;
  percent: number;
  bytesPerSecond: number | null;
  secondsLeft: number | null;
  /** The percent the server already had when this upload was resumed (after a reload); else null. */
  resumedAtPercent: number | null;
  file: FileView | null;
  error: string | null;
  /**
   * A failure the network or a busy server caused (offline, a dropped connection, a 5xx): retry()
   * takes the upload up again from the server's offset. False for refusals (quota, size, PIN).
   */
  retryable: boolean;
}

/** An unfinished upload remembered from an earlier visit: choosing the same file resumes it. */
export interface RememberedUpload {
  /** tus-js-client's localStorage key of the upload. */
  key: string;
  fileName: string;
  /** How far the server has it; null while unknown (not asked yet, or no answer). */
  percent: number | null;
}

export interface SendState {
  items: UploadItem[];
  remembered: RememberedUpload[];
  /** The finished item whose QR code is shown. */
  selectedId: number | null;
}

export const EMPTY_SEND_STATE: SendState = { items: [], remembered: [], selectedId: null };

const ACTIVE_PHASES: ReadonlySet<UploadPhase> = new Set(['uploading', 'paused', 'finishing']);

export function newItem(id: number, fileName: string): UploadItem {
  return {
    id,
    fileName,
    phase: 'queued',
    percent: 0,
    bytesPerSecond: null,
    secondsLeft: null,
    resumedAtPercent: null,
    file: null,
    error: null,
    retryable: false,
  };
}

/** The item being uploaded (or paused, or being committed): at most one at a time. */
export function activeItem(items: readonly UploadItem[]): UploadItem | undefined {
  return items.find((item) => ACTIVE_PHASES.has(item.phase));
}

/** The next item to start, or undefined while one is active or none waits. */
export function nextToStart(items: readonly UploadItem[]): UploadItem | undefined {
  return activeItem(items) ? undefined : items.find((item) => item.phase === 'queued');
}

/** True while a file waits or is on its way. */
export function isBusy(items: readonly UploadItem[]): boolean {
  return items.some((item) => item.phase === 'queued' || ACTIVE_PHASES.has(item.phase));
}

/** The counts of the overall view ("2 of 3 sent"). */
export function summarize(items: readonly UploadItem[]): { total: number; done: number; failed: number } {
  return {
    total: items.length,
    done: items.filter((item) => item.phase === 'done').length,
    failed: items.filter((item) => item.phase === 'failed').length,
  };
}

/** A whole percent of `done` out of `total` bytes, never 100 before the last byte. */
export function percentOf(done: number, total: number): number {
  if (total <= 0) return 0;
  if (done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}

/** Files dropped onto the page, without folders (a folder has no bytes to upload). */
export function droppedFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files: File[] = [];
  const items = data.items ? Array.from(data.items) : [];
  if (items.length > 0) {
    for (const item of items) {
      if (item.kind !== 'file') continue;
      if (item.webkitGetAsEntry?.()?.isDirectory) continue;
      const file = item.getAsFile();
      if (file) files.push(file);
    }
    return files;
  }
  return Array.from(data.files ?? []);
}

/** Whether a drag carries files (and not, say, selected text), so that only then the zone lights up. */
export function carriesFiles(data: DataTransfer | null): boolean {
  return Array.from(data?.types ?? []).includes('Files');
}
