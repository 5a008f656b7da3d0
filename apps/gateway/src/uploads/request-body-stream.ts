import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerRequest } from 'srvx';
import { NodeRequest } from 'srvx/node';

/**
 * The request body as a web ReadableStream whose chunks are the socket's own buffers.
 *
 * @tus/server reads a PATCH body as `request.body` (a web stream) and turns it back into a
 * Node stream. srvx makes that web stream with `Readable.toWeb`, which copies every chunk into
 * a new Uint8Array (so a byte stream could detach it): for a 1 GiB upload, 1 GiB more to copy
 * and, worse, 16,000 fresh 64 KiB buffers for the garbage collector (tus took ~7.5 CPU-s/GiB
 * against ~4.5 for a plain PUT). A default (not byte) stream never detaches what it is given,
 * so the socket's buffers can be passed on as they are. Backpressure: one chunk queued at most,
 * then the request is paused until the reader pulls again.
 */
export function requestBodyStream(request: IncomingMessage): ReadableStream<Uint8Array> {
  // Once the reader gave up (cancel) the controller takes nothing more: chunks already under
  // way from the socket are dropped, not enqueued.
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        request.on('data', (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) request.pause();
        });
        request.once('end', () => {
          if (open) controller.close();
          open = false;
        });
        const fail = (error: Error) => {
          if (open) controller.error(error);
          open = false;
        };
        request.on('error', fail);
        // Destroyed without an error (an idle timeout): the body is cut short, not complete.
        request.once('close', () => fail(new Error('the request closed before its body ended')));
      },
      pull() {
        request.resume();
      },
      // As Readable.toWeb does: a reader that gives up ends the request.
      cancel(reason) {
        open = false;
        request.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * srvx's request for @tus/server, its body read (when at all) through requestBodyStream. The
 * getter shadows srvx's own on this one object, so whatever srvx derives from `body` sees it.
 */
export function uncopiedBodyRequest(incoming: IncomingMessage, response: ServerResponse): ServerRequest {
  const request = new NodeRequest({ req: incoming, res: response });
  const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
  let body: ReadableStream<Uint8Array> | null | undefined;
  Object.defineProperty(request, 'body', {
    get: () => (body ??= hasBody ? requestBodyStream(incoming) : null),
  });
  return request;
}
