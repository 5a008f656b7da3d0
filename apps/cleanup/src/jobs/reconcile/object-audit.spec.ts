import { filesV1 } from '@lexy/contracts-grpc';
import { createLogger } from '@lexy/server-logging';
import { fakeClient, MemoryStorage, testRun, type CallLog } from '../../../test/support/fakes.js';
import type { FileLifecycle } from '../../dependencies.js';
import { compareKeys } from './merge-by-key.js';
import { judgeKey, ObjectAudit } from './object-audit.js';

const {
  OBJECT_REF_KIND_FILE: FILE,
  OBJECT_REF_KIND_PURGING: PURGING,
  OBJECT_REF_KIND_UPLOAD: UPLOAD,
} = filesV1.ObjectRefKind;
const HOUR_MS = 3_600_000;
const NOW = Date.now();
const ref = (objectKey: string, kind: filesV1.ObjectRefKind, sizeBytes = 0, id = `id-${objectKey}`) => ({
  objectKey,
  id,
  kind,
  sizeBytes,
});
const object = (key: string, sizeBytes: number, ageHours: number) => ({
  key,
  sizeBytes,
  lastModified: new Date(NOW - ageHours * HOUR_MS),
});

describe('judgeKey', () => {
  const graceStart = NOW - 24 * HOUR_MS;

  it('calls an object nothing refers to an orphan only once it is older than the grace', () => {
    expect(judgeKey([object('files/a', 5, 25)], [], graceStart)).toEqual({ kind: 'orphan' });
    expect(judgeKey([object('files/a', 5, 23)], [], graceStart)).toEqual({ kind: 'ok' });
  });

  it('suspects a file whose object is absent or of another size', () => {
    const file = ref('files/a', FILE, 5);
    expect(judgeKey([], [file], graceStart)).toEqual({ kind: 'suspect', files: [file] });
    expect(judgeKey([object('files/a', 4, 1)], [file], graceStart)).toEqual({ kind: 'suspect', files: [file] });
    expect(judgeKey([object('files/a', 5, 100)], [file], graceStart)).toEqual({ kind: 'ok' });
  });

  it('lets purging files and upload sessions lack their object, and keeps any object they hold', () => {
    expect(judgeKey([], [ref('files/a', PURGING, 5)], graceStart)).toEqual({ kind: 'ok' });
    expect(judgeKey([], [ref('files/a', UPLOAD)], graceStart)).toEqual({ kind: 'ok' });
    expect(judgeKey([object('files/a', 9, 100)], [ref('files/a', UPLOAD)], graceStart)).toEqual({ kind: 'ok' });
    expect(judgeKey([object('files/a', 9, 100)], [ref('files/a', PURGING, 5)], graceStart)).toEqual({ kind: 'ok' });
  });
});

/** A files service holding `refs`, paged by key like ListObjectRefs. */
function filesHolding(calls: CallLog, refs: filesV1.ObjectRef[]) {
  const sorted = [...refs].sort((a, b) => compareKeys(a.objectKey, b.objectKey));
  return fakeClient<FileLifecycle>('files', calls, {
    listObjectRefs: async ({ afterKey, limit }: filesV1.ListObjectRefsRequest) => ({
      refs: sorted.filter((r) => compareKeys(r.objectKey, afterKey) > 0).slice(0, limit),
    }),
    markObjectsMissing: async ({ fileIds }: filesV1.MarkObjectsMissingRequest) => ({ marked: fileIds.length }),
  });
}

function audit(files: FileLifecycle, storage: MemoryStorage, batchSize = 2) {
  return new ObjectAudit(
    files,
    storage,
    { batchSize, orphanGraceSeconds: 24 * 3600 },
    createLogger('cleanup', 'silent'),
  );
}

describe('ObjectAudit', () => {
  it('deletes old orphans in batches, marks files whose object is gone or wrong, and leaves the rest', async () => {
    const calls: CallLog = [];
    const storage = new MemoryStorage(calls)
      .put('files/01-orphan-old', 7, 48)
      .put('files/02-orphan-young', 7, 1)
      .put('files/03-file', 10)
      .put('files/04-wrong-size', 11)
      .put('files/06-orphan-old', 7, 30)
      .put('files/07-upload', 3)
      .put('files/08-orphan-old', 7, 48)
      .put('uploads/not-audited-here', 1, 48);
    const files = filesHolding(calls, [
      ref('files/03-file', FILE, 10),
      ref('files/04-wrong-size', FILE, 10),
      ref('files/05-missing', FILE, 10),
      ref('files/07-upload', UPLOAD),
      ref('files/09-purging', PURGING, 4),
      ref('other/outside-the-prefix', FILE, 1),
    ]);
    const run = testRun();

    await audit(files, storage).run(run, NOW);

    expect(storage.keys()).toEqual([
      'files/02-orphan-young',
      'files/03-file',
      'files/04-wrong-size',
      'files/07-upload',
      'uploads/not-audited-here',
    ]);
    expect(calls.filter((call) => call.startsWith('storage.removeMany'))).toEqual([
      'storage.removeMany(files/01-orphan-old,files/06-orphan-old)',
      'storage.removeMany(files/08-orphan-old)',
    ]);
    expect(files.requests['markObjectsMissing']).toEqual([
      { fileIds: ['id-files/04-wrong-size', 'id-files/05-missing'] },
    ]);
    expect(run.counts).toEqual({ orphans_deleted: 3, orphan_bytes_deleted: 21, missing_marked: 2 });
    // Refs were read a page (the batch size) at a time, each after the last key of the one before.
    expect(files.requests['listObjectRefs']).toEqual([
      { afterKey: '', limit: 2 },
      { afterKey: 'files/04-wrong-size', limit: 2 },
      { afterKey: 'files/07-upload', limit: 2 },
    ]);
  });

  it('checks each suspect again before marking it: a file committed after the listing is not missing', async () => {
    const calls: CallLog = [];
    const storage = new MemoryStorage(calls);
    const files = filesHolding(calls, [ref('files/new', FILE, 10)]);
    // The object arrives between the storage listing (empty) and the stat.
    const stat = storage.stat.bind(storage);
    storage.stat = async (key) => {
      storage.put(key, 10, 0);
      return stat(key);
    };

    const run = testRun();
    await audit(files, storage).run(run, NOW);

    expect(calls).toContain('storage.stat(files/new)');
    expect(calls).not.toContain('files.markObjectsMissing');
    expect(run.counts).toEqual({});
  });

  it('fails, deleting nothing, when the refs come out of key order', async () => {
    const calls: CallLog = [];
    const storage = new MemoryStorage(calls).put('files/b', 1, 48);
    const files = fakeClient<FileLifecycle>('files', calls, {
      listObjectRefs: async () => ({ refs: [ref('files/c', FILE, 1), ref('files/a', FILE, 1)] }),
    });
    await expect(audit(files, storage, 10).run(testRun(), NOW)).rejects.toThrow(/not in key order/);
    expect(storage.keys()).toEqual(['files/b']);
  });

  it('fails when the refs do not move past the last key (instead of asking forever)', async () => {
    const files = fakeClient<FileLifecycle>('files', [], {
      listObjectRefs: async () => ({ refs: [ref('', FILE, 1)] }),
    });
    await expect(audit(files, new MemoryStorage(), 1).run(testRun(), NOW)).rejects.toThrow(/did not move past/);
  });
});
