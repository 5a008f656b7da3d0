import { createHash } from 'node:crypto';
import { Upload, type HttpResponse } from 'tus-js-client';
import { bearer, register } from '../../gateway-e2e/test/support/accounts.js';
import { api, download, json, request } from '../../gateway-e2e/test/support/e2e.js';
import { cluster, gained, perGateway, sum } from './support/cluster.js';

// A tus upload is a series of requests that any gateway may serve: its state (offset, parts)
// is in the files service, S3 and Redis, not in the gateway that began it.

const MiB = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function fileBytes(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 32) {
    createHash('sha256').update(`${seed}:${offset}`).digest().copy(data, offset);
  }
  return data;
}

const tusBytes = () => perGateway('lexy_gateway_upload_bytes_total', { via: 'tus' });

/** A registered owner (the `normal` group's speed keeps the pickup download short). */
async function owner() {
  return bearer((await register()).accessToken);
}

describe('tus uploads across the two gateways', () => {
  it('uploads with tus-js-client through the proxy, its PATCHes alternating between the gateways, to an equal SHA-256 at pickup', async () => {
    const headers = await owner();
    const data = fileBytes(6 * MiB + 17, 1);
    const before = await tusBytes();
    const last = await new Promise<HttpResponse>((resolve, reject) => {
      new Upload(data, {
        endpoint: api('/uploads'),
        headers,
        metadata: { filename: 'alternating.bin' },
        // One PATCH per MiB: seven requests, each to the next gateway.
        chunkSize: MiB,
        retryDelays: [],
        onError: reject,
        onSuccess: ({ lastResponse }) => resolve(lastResponse),
      }).start();
    });
    const perReplica = gained(before, await tusBytes());
    expect(sum(perReplica)).toBe(data.length);
    expect(perReplica.every((bytes) => bytes >= 3 * MiB)).toBe(true);

    const code = last.getHeader('X-Pickup-Code');
    const pickedUp = await download(api(`/files/pickup/${code}/download`), headers);
    expect(pickedUp.status).toBe(200);
    expect(pickedUp.sha256).toBe(sha256(data));
  });

  it('continues on the second gateway an upload begun on the first: its offset is there, and the rest completes it', async () => {
    const headers = await owner();
    const data = fileBytes(3 * MiB + 5, 2);
    const [first, second] = [cluster().gateways[0]!, cluster().gateways[1]!];
    const created = await request('POST', `${first.url}/api/v1/uploads`, {
      headers: {
        ...TUS,
        ...headers,
        'upload-length': String(data.length),
        'upload-metadata': `filename ${Buffer.from('continued.bin').toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const path = new URL(String(created.headers['location']), first.url).pathname;
    const patch = (base: string, offset: number, body: Buffer) =>
      request('PATCH', `${base}${path}`, {
        headers: {
          ...TUS,
          ...headers,
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        body,
      });
    const half = 2 * MiB;
    const began = await patch(first.url, 0, data.subarray(0, half));
    expect([began.status, began.headers['upload-offset']]).toEqual([204, String(half)]);

    const seen = await request('HEAD', `${second.url}${path}`, { headers: { ...TUS, ...headers } });
    expect([seen.status, seen.headers['upload-offset']]).toEqual([200, String(half)]);
    const completed = await patch(second.url, half, data.subarray(half));
    expect([completed.status, completed.headers['upload-offset']]).toEqual([204, String(data.length)]);
    const code = String(completed.headers['x-pickup-code']);

    const uploadId = path.split('/').pop();
    const file = json(await request('GET', api(`/files/by-upload/${uploadId}`), { headers })).file;
    expect(file).toMatchObject({ code, size: data.length, sha256: sha256(data), name: 'continued.bin' });
    expect((await download(api(`/files/pickup/${code}/download`), headers)).sha256).toBe(sha256(data));
  });
});
