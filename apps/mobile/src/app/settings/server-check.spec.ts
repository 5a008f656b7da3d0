import { checkServer, describeServerCheck, type Fetch } from './server-check';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch that answers once and records where it was asked. */
function answering(answer: () => Promise<Response>) {
  const asked: string[] = [];
  const fetchImpl: Fetch = (input) => {
    asked.push(input);
    return answer();
  };
  return { asked, fetchImpl };
}

describe('checkServer', () => {
  it('asks the typed server’s health endpoint and finds it ready on 200 ok', async () => {
    const { asked, fetchImpl } = answering(async () => json(200, { status: 'ok', details: { auth: 'up' } }));
    const check = await checkServer(' files.example.org/some/page ', fetchImpl);
    expect(asked).toEqual(['https://files.example.org/api/v1/health']);
    expect(check).toEqual({ outcome: 'ok', origin: 'https://files.example.org' });
    expect(describeServerCheck(check)).toBe('https://files.example.org is ready to use.');
  });

  it('names the parts that are down from the 503 envelope’s details', async () => {
    const { fetchImpl } = answering(async () =>
      json(503, {
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'Some parts of the platform are unavailable',
          details: { auth: 'up', storage: 'down', files: 'down', quotas: 'up', relay: 'up' },
        },
      }),
    );
    const check = await checkServer('http://192.168.1.20:8080', fetchImpl);
    expect(check).toEqual({ outcome: 'down', origin: 'http://192.168.1.20:8080', parts: ['files', 'storage'] });
    expect(describeServerCheck(check)).toBe(
      'http://192.168.1.20:8080 answers, but these parts are down: files, file storage. Try again later.',
    );
  });

  it('cannot reach a server when the request gets no answer (offline, unknown host, CORS)', async () => {
    const { fetchImpl } = answering(() => Promise.reject(new TypeError('Failed to fetch')));
    const check = await checkServer('files.example.org', fetchImpl);
    expect(check).toEqual({ outcome: 'unreachable', origin: 'https://files.example.org' });
    expect(describeServerCheck(check)).toBe(
      'Cannot reach https://files.example.org. Check the address and your connection.',
    );
  });

  it('does not take a page that answers 200 with something else for a Lexy server', async () => {
    const { fetchImpl } = answering(async () => new Response('<!doctype html><p>Hello</p>', { status: 200 }));
    expect(await checkServer('example.org', fetchImpl)).toEqual({
      outcome: 'unexpected',
      origin: 'https://example.org',
      status: 200,
    });
  });

  it('asks nothing for what is not a web address', async () => {
    const { asked, fetchImpl } = answering(async () => json(200, { status: 'ok' }));
    expect(await checkServer('ftp://files.example.org', fetchImpl)).toEqual({ outcome: 'invalid' });
    expect(asked).toEqual([]);
  });
});
