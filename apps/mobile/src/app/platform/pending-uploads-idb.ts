import type { PendingUpload, PendingUploadStorage } from './pending-uploads';

const DB_NAME = 'lexy-pending-uploads';
const STORE = 'uploads';

interface Row {
  id: string;
  record: PendingUpload;
  bytes: Blob | null;
}

/**
 * Pending uploads in IndexedDB, which (unlike localStorage) holds Blobs: in a browser the bytes
 * themselves are kept there until the upload is through. The web view of a phone keeps only the
 * records; the bytes stay where the picker found them.
 */
export function indexedDbPendingStorage(factory: IDBFactory | undefined = globalThis.indexedDB): PendingUploadStorage {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => (opened ??= open(factory));
  const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const transaction = (await db()).transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    return new Promise<T>((resolve, reject) => {
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
  };
  return {
    all: async () => ((await run('readonly', (store) => store.getAll())) as Row[]).map((row) => row.record),
    put: async (record, bytes) => {
      await run('readwrite', (store) => store.put({ id: record.id, record, bytes } satisfies Row));
    },
    bytes: async (id) => ((await run('readonly', (store) => store.get(id))) as Row | undefined)?.bytes ?? null,
    delete: async (id) => {
      await run('readwrite', (store) => store.delete(id));
    },
  };
}

function open(factory: IDBFactory | undefined): Promise<IDBDatabase> {
  if (!factory) return Promise.reject(new Error('IndexedDB is not available'));
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
