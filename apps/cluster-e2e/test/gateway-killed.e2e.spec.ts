import { createHash, type Hash } from 'node:crypto';
import http from 'node:http';
import { bearer, loginAdmin } from '../../gateway-e2e/test/support/accounts.js';
import {
  api,
  eventually,
  json,
  patternStream,
  request,
  sha256Of,
  uploadMultipart,
} from '../../gateway-e2e/test/support/e2e.js';
import { cluster, metric, perGateway, refusesConnections } from './support/cluster.js';

// A gateway SIGKILLed in the middle of a download through the proxy: the client sees a short
// body, asks for the rest with `Range` through the proxy, which skips the dead gateway, and
// the bytes it assembles are the file's. This file leaves the cluster with one gateway: it
// runs after all the others (test/sequencer.mjs).

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
/** Where the client stops reading, so the serving gateway stalls mid-body until it is killed. */
const PAUSE_AT = 4 * MiB;

/** Reads a response into `hash`, pausing it once when `pauseAt` bytes came; `ended` resolves with what it got once it ends or breaks. */
function readInto(response: http.IncomingMessage, hash: Hash, pauseAt = Infinity) {
  let bytes = 0;
  let pause: (() => void) | undefined;
  const paused = new Promise<void>((resolve) => (pause = resolve));
  const ended = new Promise<{ bytes: number; complete: boolean }>((resolve) => {
    response.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (bytes >= pauseAt && pause) {
        response.pause();
        pause();
        pause = undefined; // once: the caller resumes it later
      }
    });
    response.on('error', () => undefined);
    response.on('close', () => resolve({ bytes, complete: response.complete }));
  });
  return { paused, ended };
}

const get = (url: string, headers: http.OutgoingHttpHeaders) =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(url, { headers, agent: false }, resolve).on('error', reject);
  });

describe('a gateway killed mid-download', () => {
  it('lets the client resume with Range through the proxy on the surviving gateway, to the file’s SHA-256', async () => {
    // An admin's group is unlimited: the speed limit does not stretch the test.
    const auth = bearer((await loginAdmin()).accessToken);
    const uploaded = await uploadMultipart(patternStream(SIZE, 'killed'), { filename: 'killed.bin', headers: auth });
    expect(uploaded.status).toBe(201);
    const file = json(uploaded).file as { id: string; sha256: string };
    expect(file.sha256).toBe(await sha256Of(patternStream(SIZE, 'killed')));
    const url = api(`/files/${file.id}/download`);
    const hash = createHash('sha256');

    const first = await get(url, auth);
    expect([first.statusCode, first.headers['content-length']]).toEqual([200, String(SIZE)]);
    const reading = readInto(first, hash, PAUSE_AT);
    await reading.paused;
    // The gateway serving it is the one with a download in flight.
    const active = await eventually(
      () => perGateway('lexy_gateway_active_downloads'),
      (counts) => counts.filter((count) => count === 1).length === 1,
    );
    const victim = active.indexOf(1);
    const { url: victimUrl, pid } = cluster().gateways[victim]!;
    const survivor = 1 - victim;
    process.kill(pid, 'SIGKILL');
    expect(
      await eventually(
        () => refusesConnections(victimUrl),
        (refused) => refused,
      ),
    ).toBe(true);

    first.resume();
    const cut = await reading.ended;
    expect(cut.complete).toBe(false);
    expect(cut.bytes).toBeGreaterThanOrEqual(PAUSE_AT);
    expect(cut.bytes).toBeLessThan(SIZE);

    const survivorBefore = await downloadBytesOf(survivor);
    const rest = await get(url, { ...auth, range: `bytes=${cut.bytes}-` });
    expect(rest.statusCode).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes ${cut.bytes}-${SIZE - 1}/${SIZE}`);
    const resumed = await readInto(rest, hash).ended;
    expect(resumed).toEqual({ bytes: SIZE - cut.bytes, complete: true });
    expect(hash.digest('hex')).toBe(file.sha256);
    // The rest came from the surviving gateway.
    expect((await downloadBytesOf(survivor)) - survivorBefore).toBeGreaterThanOrEqual(SIZE - cut.bytes);

    // The proxy keeps skipping the dead gateway: every request lands on the survivor.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      expect((await request('GET', api('/health'))).status).toBe(200);
    }
  });
});

/** The download bytes one gateway has sent so far (the other one's metrics port died with it). */
const downloadBytesOf = (index: number) =>
  metric(cluster().gateways[index]!.metricsUrl, 'lexy_gateway_download_bytes_total');
