import { PassThrough, Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestBodyStream, uncopiedBodyRequest } from './request-body-stream.js';

/** A stand-in for an IncomingMessage: a readable stream of the given chunks with a method. */
function incoming(chunks: Buffer[], method = 'PATCH'): IncomingMessage {
  const stream = new PassThrough();
  for (const chunk of chunks) stream.write(chunk);
  if (chunks.length > 0) stream.end();
  return Object.assign(stream, { method, headers: {}, url: '/api/v1/uploads/x' }) as unknown as IncomingMessage;
}

describe('requestBodyStream', () => {
  it("passes the request's own buffers on, uncopied and in order", async () => {
    const chunks = [Buffer.from('first '), Buffer.from('second '), Buffer.from('third')];
    const seen: Uint8Array[] = [];
    for await (const chunk of requestBodyStream(incoming(chunks))) seen.push(chunk);
    expect(Buffer.concat(seen).toString()).toBe('first second third');
    // The same memory the request handed over: no copy was made.
    expect(seen.map((chunk) => chunk.buffer)).toEqual(chunks.map((chunk) => chunk.buffer));
  });

  it('holds back the request while the reader does not pull (backpressure)', async () => {
    const source = new PassThrough({ highWaterMark: 4 });
    const request = Object.assign(source, { method: 'PATCH' }) as unknown as IncomingMessage;
    const reader = requestBodyStream(request).getReader();
    for (let index = 0; index < 10; index += 1) source.write(Buffer.alloc(4, index));
    await new Promise((resolve) => setImmediate(resolve));
    expect(request.isPaused()).toBe(true);
    const { value } = await reader.read();
    expect(value?.[0]).toBe(0);
    await reader.cancel();
  });

  it('ends the request when the reader gives up, and errors when the request does', async () => {
    const request = incoming([Buffer.from('x')]);
    await requestBodyStream(request).cancel();
    expect(request.destroyed).toBe(true);

    const failing = Object.assign(
      new Readable({
        read() {
          this.destroy(new Error('connection reset'));
        },
      }),
      {
        method: 'PATCH',
      },
    ) as unknown as IncomingMessage;
    await expect(requestBodyStream(failing).getReader().read()).rejects.toThrow('connection reset');

    const cut = incoming([]);
    const reading = requestBodyStream(cut).getReader().read();
    cut.destroy();
    await expect(reading).rejects.toThrow('closed before its body ended');
  });
});

describe('uncopiedBodyRequest', () => {
  const response = new PassThrough() as unknown as ServerResponse;

  it('gives @tus/server the uncopied body, made once', async () => {
    const request = uncopiedBodyRequest(incoming([Buffer.from('bytes')]), response);
    expect(request.body).toBe(request.body);
    expect(await new Response(request.body).text()).toBe('bytes');
  });

  it('has no body for HEAD and GET, and reads nothing of the request', () => {
    const head = incoming([Buffer.from('x')], 'HEAD');
    expect(uncopiedBodyRequest(head, response).body).toBeNull();
    expect(head.readableLength).toBe(1);
  });
});
