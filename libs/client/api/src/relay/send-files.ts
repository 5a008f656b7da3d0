import { hexDigest, newSha256 } from './file-digests.js';
import { prefixFrame, transferIdBytes } from './frames.js';

/** What a file to send needs to be: a browser's File or Blob fits, and so does a test's fake. */
export interface FileSource {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Where frames go: the socket, with what it still holds unsent. */
export interface FrameSink {
  readonly bufferedAmount: number;
  sendFrame(frame: Uint8Array): void;
}

export interface SendFilesOptions {
  /** Send only the bytes from this offset of the whole stream on (a resume); the bytes before it are still read, for the hashes. */
  from?: number;
  /** Payload bytes per frame; a frame must stay under the relay's 1 MiB. */
  frameBytes?: number;
  /** Bytes read from a file at a time. */
  readBytes?: number;
  /** Wait while the socket holds more than this many unsent bytes. */
  highWaterBytes?: number;
  /** How to wait for the socket to drain: browsers have no drain event, so the default looks again shortly. */
  pause?: () => Promise<void>;
  /** Stops sending; the promise then resolves with null. */
  signal?: AbortSignal;
  /** Told the stream offset reached after each frame handed to the socket. */
  onFrame?: (offset: number) => void;
}

export const FRAME_BYTES = 64 * 1024;
export const READ_BYTES = 1024 * 1024;
/** Under the relay's own high-water mark (4 MiB), so that a slow receiver holds the sender back here. */
export const HIGH_WATER_BYTES = 2 * 1024 * 1024;

const shortly = () => new Promise<void>((resolve) => setTimeout(resolve, 15));

/**
 * Sends the files in order, back to back, as prefixed binary frames, hashing each as it goes;
 * resolves with each file's SHA-256 in hex (what `transfer.sent` carries), or null when stopped.
 * Nothing more is handed to the socket while it holds more than the high-water mark, so memory
 * stays bounded by it whatever the files' sizes.
 */
export async function sendFiles(
  sink: FrameSink,
  transferId: string,
  files: readonly FileSource[],
  options: SendFilesOptions = {},
): Promise<string[] | null> {
  const {
    from = 0,
    frameBytes = FRAME_BYTES,
    readBytes = READ_BYTES,
    highWaterBytes = HIGH_WATER_BYTES,
    pause = shortly,
    signal,
    onFrame,
  } = options;
  const prefix = transferIdBytes(transferId);
  const digests: string[] = [];
  let offset = 0;
  for (const file of files) {
    const hash = newSha256();
    for (let start = 0; start < file.size; start += readBytes) {
      if (signal?.aborted) return null;
      const chunk = new Uint8Array(await file.slice(start, Math.min(start + readBytes, file.size)).arrayBuffer());
      hash.update(chunk);
      for (let at = 0; at < chunk.length; at += frameBytes) {
        const payload = chunk.subarray(at, Math.min(at + frameBytes, chunk.length));
        const end = offset + payload.length;
        if (end > from) {
          while (sink.bufferedAmount > highWaterBytes) {
            if (signal?.aborted) return null;
            await pause();
          }
          if (signal?.aborted) return null;
          sink.sendFrame(prefixFrame(prefix, offset >= from ? payload : payload.subarray(from - offset)));
          onFrame?.(end);
        }
        offset = end;
      }
    }
    digests.push(hexDigest(hash));
  }
  return digests;
}
