import { DomainError, ErrorCode } from '@lexy/server-errors';
import busboy from 'busboy';
import type { Request } from 'express';
import { AsyncResource } from 'node:async_hooks';
import type { Readable } from 'node:stream';

export interface MultipartFile {
  name: string;
  mimeType: string;
  /** Fields that came before the file part. */
  fields: Record<string, string>;
  body: Readable;
  /** Resolves with every field once the whole form is read, including fields after the file. */
  formComplete: Promise<Record<string, string>>;
}

/** Limits that keep a hostile form cheap to refuse (UP-06 d). */
const FORM_LIMITS = { files: 1, fields: 10, parts: 12, headerPairs: 50, fieldSize: 1024, fieldNameSize: 64 };

const invalid = (message: string) => new DomainError(ErrorCode.VALIDATION_FAILED, message);

/**
 * Parses a multipart/form-data request as it streams and hands the single `file` part
 * to `consume` while its bytes are still arriving. Fields must come before the file
 * part to be seen (browsers send them in form order).
 */
export function readMultipartFile<T>(request: Request, consume: (file: MultipartFile) => Promise<T>): Promise<T> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) {
    return Promise.reject(invalid('Expected multipart/form-data with one part named "file"'));
  }
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers send the part's filename="…" as raw UTF-8; busboy would read it as latin1.
      parser = busboy({ headers: request.headers, limits: FORM_LIMITS, defParamCharset: 'utf8' });
    } catch {
      reject(invalid('The multipart body is malformed'));
      return;
    }
    const fields: Record<string, string> = {};
    let current: Readable | undefined;
    let formRead: (fields: Record<string, string>) => void = () => undefined;
    const formComplete = new Promise<Record<string, string>>((done) => (formRead = done));
    let settled = false;
    const fail = (error: DomainError) => {
      current?.destroy(error);
      if (!settled) reject(error);
      settled = true;
    };

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    // Parser events fire from the socket's async context; bind the handler to this
    // request's context so the upload keeps its request id and signed caller.
    parser.on(
      'file',
      AsyncResource.bind((fieldName: string, stream: Readable, info: busboy.FileInfo) => {
        if (fieldName !== 'file' || current) {
          stream.resume();
          return;
        }
        current = stream;
        stream.once('limit', () => stream.destroy(invalid('The file part is too large')));
        consume({
          name: info.filename ?? '',
          mimeType: info.mimeType,
          fields: { ...fields },
          body: stream,
          formComplete,
        }).then(
          (value) => {
            settled = true;
            resolve(value);
          },
          (error: unknown) => {
            settled = true;
            reject(error);
          },
        );
      }),
    );
    parser.on('partsLimit', () => fail(invalid('Too many parts in the form')));
    parser.on('fieldsLimit', () => fail(invalid('Too many fields in the form')));
    parser.on('error', () => fail(invalid('The multipart body is malformed')));
    parser.on('close', () => {
      formRead(fields);
      if (!current) fail(invalid('The form has no part named "file"'));
    });
    // A client that disconnects mid-file must fail the file stream, or the upload waits forever.
    request.once('close', () => {
      if (!request.complete) current?.destroy(new Error('upload interrupted by the client'));
    });
    request.pipe(parser);
  });
}
