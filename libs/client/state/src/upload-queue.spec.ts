import {
  activeItem,
  carriesFiles,
  droppedFiles,
  isBusy,
  newItem,
  nextToStart,
  percentOf,
  summarize,
} from './upload-queue';
import type { UploadItem, UploadPhase } from './upload-queue';

const item = (id: number, phase: UploadPhase): UploadItem => ({ ...newItem(id, `f${id}.bin`), phase });

/** A DataTransfer as the browser hands one to a drop: jsdom has none of its own. */
function dataTransfer(entries: { file: File; directory?: boolean }[], types = ['Files']): DataTransfer {
  return {
    types,
    files: entries.map((entry) => entry.file) as unknown as FileList,
    items: entries.map((entry) => ({
      kind: 'file',
      getAsFile: () => entry.file,
      webkitGetAsEntry: () => ({ isDirectory: entry.directory ?? false }),
    })) as unknown as DataTransferItemList,
  } as unknown as DataTransfer;
}

describe('the upload queue', () => {
  it('starts the first waiting file only while none is on its way', () => {
    expect(nextToStart([item(1, 'done'), item(2, 'queued'), item(3, 'queued')])?.id).toBe(2);
    for (const phase of ['uploading', 'paused', 'finishing'] as const) {
      expect(nextToStart([item(1, phase), item(2, 'queued')])).toBeUndefined();
      expect(activeItem([item(1, 'done'), item(2, phase)])?.id).toBe(2);
    }
    expect(nextToStart([item(1, 'failed'), item(2, 'done')])).toBeUndefined();
  });

  it('is busy while a file waits or is on its way, and counts what was sent', () => {
    expect(isBusy([item(1, 'done'), item(2, 'queued')])).toBe(true);
    expect(isBusy([item(1, 'paused')])).toBe(true);
    expect(isBusy([item(1, 'done'), item(2, 'failed')])).toBe(false);
    expect(isBusy([])).toBe(false);
    expect(summarize([item(1, 'done'), item(2, 'failed'), item(3, 'uploading')])).toEqual({
      total: 3,
      done: 1,
      failed: 1,
    });
  });

  it('gives whole percents, 100 only for the last byte', () => {
    expect(percentOf(16 * 1024 * 1024, 40 * 1024 * 1024)).toBe(40);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });
});

describe('dropped files', () => {
  it('takes the files of a drop and leaves folders out', () => {
    const a = new File(['a'], 'a.txt');
    const b = new File(['b'], 'b.txt');
    const folder = new File([], 'photos');
    expect(droppedFiles(dataTransfer([{ file: a }, { file: folder, directory: true }, { file: b }]))).toEqual([a, b]);
    expect(droppedFiles(null)).toEqual([]);
  });

  it('lights up only for drags that carry files', () => {
    expect(carriesFiles(dataTransfer([], ['Files']))).toBe(true);
    expect(carriesFiles(dataTransfer([], ['text/plain']))).toBe(false);
    expect(carriesFiles(null)).toBe(false);
  });
});
