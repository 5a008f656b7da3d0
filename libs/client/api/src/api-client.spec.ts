import { ApiError } from './api-error.js';
import { createApiClient } from './api-client.js';

function recordingFetch(answer: () => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer();
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('createApiClient', () => {
  it('sends the bearer token, the PIN header and the link token, and returns the data', async () => {
    const file = { name: 'a.txt', size: 3, mimeType: 'text/plain', expiresAt: null };
    const { fetch, requests } = recordingFetch(() => json(200, { file }));
    const api = createApiClient({ baseUrl: 'http://gw.test', accessToken: () => 'tok', fetch });

    await expect(api.pickup('ABC123', { pin: '123456', token: 'link' })).resolves.toEqual({ file });
    const [request] = requests;
    expect(request!.url).toBe('http://gw.test/api/v1/files/pickup/ABC123?t=link');
    expect(request!.headers.get('authorization')).toBe('Bearer tok');
    expect(request!.headers.get('x-pickup-pin')).toBe('123456');
  });

  it('sends no Authorization header without a token', async () => {
    const { fetch, requests } = recordingFetch(() => json(200, { file: {} }));
    const api = createApiClient({ baseUrl: 'http://gw.test', accessToken: () => null, fetch });
    await api.pickup('ABC123');
    expect(requests[0]!.headers.has('authorization')).toBe(false);
  });

  it('throws the envelope as an ApiError', async () => {
    const { fetch } = recordingFetch(() =>
      json(
        429,
        { error: { code: 'RATE_LIMITED', message: 'slow down', details: { retryAfterSeconds: 12 } } },
        { 'Retry-After': '12' },
      ),
    );
    const api = createApiClient({ baseUrl: 'http://gw.test', fetch });
    const failure = await api.pickup('ABC123').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 12 });
  });

  it('turns a request that got no answer into NETWORK_ERROR', async () => {
    const api = createApiClient({
      baseUrl: 'http://gw.test',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(api.me()).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('builds the download URL with the link token', () => {
    const api = createApiClient({ baseUrl: 'http://gw.test/' });
    expect(api.pickupDownloadUrl('ABC123', 'a b')).toBe('http://gw.test/api/v1/files/pickup/ABC123/download?t=a%20b');
    expect(api.uploadsEndpoint).toBe('http://gw.test/api/v1/uploads');
  });

  it('asks for a download pass with the PIN and link token, and builds the link it opens', async () => {
    const { fetch, requests } = recordingFetch(() => json(201, { pass: 'p-1', expiresIn: 60 }));
    const api = createApiClient({ baseUrl: 'http://gw.test', fetch });
    await expect(api.downloadPass('ABC123', { pin: '123456', token: 'link' })).resolves.toEqual({
      pass: 'p-1',
      expiresIn: 60,
    });
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url).toBe('http://gw.test/api/v1/files/pickup/ABC123/download-pass?t=link');
    expect(requests[0]!.headers.get('x-pickup-pin')).toBe('123456');
    expect(api.passDownloadUrl('ABC123', 'p/1')).toBe('http://gw.test/api/v1/files/pickup/ABC123/download?pass=p%2F1');
  });

  it('deletes and restores a file by its id', async () => {
    const file = { id: 'f1', status: 'active' };
    const { fetch, requests } = recordingFetch(() =>
      requests.length === 1 ? new Response(null, { status: 204 }) : json(200, { file }),
    );
    const api = createApiClient({ baseUrl: 'http://gw.test', accessToken: () => 'tok', fetch });
    await api.deleteFile('f1');
    await expect(api.restoreFile('f2')).resolves.toEqual({ file });
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'DELETE http://gw.test/api/v1/files/f1',
      'POST http://gw.test/api/v1/files/f2/restore',
    ]);
  });

  it('asks a tus upload how far it has come, with a HEAD and the bearer token', async () => {
    const { fetch, requests } = recordingFetch(
      () => new Response(null, { status: 200, headers: { 'Upload-Offset': '16777216', 'Upload-Length': '40000000' } }),
    );
    const api = createApiClient({ baseUrl: 'http://gw.test', accessToken: () => 'tok', fetch });
    await expect(api.uploadOffset('http://gw.test/api/v1/uploads/u1')).resolves.toEqual({
      offset: 16_777_216,
      length: 40_000_000,
    });
    expect(requests[0]!.method).toBe('HEAD');
    expect(requests[0]!.headers.get('tus-resumable')).toBe('1.0.0');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer tok');
  });

  it('throws the status of an upload the server no longer has', async () => {
    const { fetch } = recordingFetch(() => new Response(null, { status: 410 }));
    const api = createApiClient({ baseUrl: 'http://gw.test', fetch });
    await expect(api.uploadOffset('http://gw.test/api/v1/uploads/u1')).rejects.toMatchObject({ status: 410 });
  });
});
