import { createHash, randomUUID } from 'node:crypto';
import { commonV1, type filesV1 } from '@lexy/contracts-grpc';
import { DomainError } from '@lexy/server-errors';
import type { FilesTestEnv } from './files-test-env.js';

/** A caller of its own, so tests never share data. */
export function newCaller(group = 'normal'): commonV1.Caller {
  return { ownerId: `user-${randomUUID()}`, group, kind: commonV1.IdentityKind.IDENTITY_KIND_USER };
}

/** A guest's identity, as the auth service issues one before sign-in. */
export function newAnonymousCaller(): commonV1.Caller {
  return { ownerId: `anon-${randomUUID()}`, group: 'anonymous', kind: commonV1.IdentityKind.IDENTITY_KIND_USER };
}

export async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}

/**
 * What the cleanup worker does for a deleted file, minus storage and quotas: claim it, then
 * delete its row. Returns whether the claim took it.
 */
export async function purgeNow(env: FilesTestEnv, fileId: string): Promise<boolean> {
  const { files } = await env.lifecycle.claimPurge({ limit: 1, leaseSeconds: 60, fileIds: [fileId] });
  if (files.length === 0) return false;
  await env.lifecycle.finishPurge({ fileIds: [fileId] });
  return true;
}

export interface UploadedFile {
  begin: filesV1.BeginUploadResponse;
  file: filesV1.File;
  bytes: Buffer;
}

/**
 * What the gateway asks of the files service for one upload: begin, then commit (the bytes
 * it streams to the key in between never pass through the files service).
 */
export async function uploadFile(
  env: FilesTestEnv,
  caller: commonV1.Caller,
  options: { name?: string; downloadLimit?: number; content?: string; pin?: string } = {},
): Promise<UploadedFile> {
  const bytes = Buffer.from(options.content ?? `content ${randomUUID()}`);
  const client = env.as(caller);
  const begin = await client.beginUpload({
    name: options.name ?? 'notes.txt',
    mimeType: 'text/plain',
    declaredSizeBytes: bytes.length,
    ...(options.downloadLimit === undefined ? {} : { downloadLimit: options.downloadLimit }),
    ...(options.pin === undefined ? {} : { pin: options.pin }),
  });
  const { file } = await client.commitUpload({
    uploadId: begin.uploadId,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  if (!file) throw new Error('commit returned no file');
  return { begin, file, bytes };
}
