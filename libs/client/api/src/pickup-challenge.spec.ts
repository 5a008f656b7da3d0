import { jest } from '@jest/globals';
import { ApiError } from './api-error.js';
import { createApiClient } from './api-client.js';
import {
  challengeOf,
  type PickupChallengeSolver,
  pickupChallengeHeader,
  withPickupChallenge,
  type PickupChallenge,
  type PickupChallengeSolution,
} from './pickup-challenge.js';

const challenge: PickupChallenge = {
  parameters: { algorithm: 'SHA-256', nonce: 'ab12', salt: 'cd34', keyPrefix: 'ef', cost: 1, expiresAt: 1_900_000_000 },
  signature: 'sig',
};
const solution: PickupChallengeSolution = { counter: 4711, derivedKey: 'ef00' };
const challengeRequired = (details: Record<string, unknown> = { challenge, reason: 'missing' }) =>
  new ApiError(428, 'CHALLENGE_REQUIRED', 'Solve the proof-of-work challenge', details);

type LookUp = (challengeHeader: string | null) => Promise<string>;
const decode = (header: string) => JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as unknown;

describe('pickupChallengeHeader', () => {
  it('is base64 of the JSON {challenge, solution}, as the gateway reads it', () => {
    expect(decode(pickupChallengeHeader(challenge, solution))).toEqual({ challenge, solution });
  });

  it('keeps text beyond ASCII intact', () => {
    const withData = { ...challenge, parameters: { ...challenge.parameters, data: { note: 'Grüße ✓' } } };
    expect(decode(pickupChallengeHeader(withData, solution))).toEqual({ challenge: withData, solution });
  });
});

describe('challengeOf', () => {
  it('takes the challenge of a 428 CHALLENGE_REQUIRED', () => {
    expect(challengeOf(challengeRequired())).toEqual(challenge);
  });

  it('is null for other errors and for a 428 without a usable challenge', () => {
    expect(challengeOf(new ApiError(404, 'PICKUP_CODE_NOT_FOUND', ''))).toBeNull();
    expect(challengeOf(challengeRequired({ reason: 'missing' }))).toBeNull();
    expect(challengeOf(challengeRequired({ challenge: { parameters: {} } }))).toBeNull();
    expect(challengeOf(new Error('boom'))).toBeNull();
  });
});

describe('withPickupChallenge', () => {
  it('passes a request that needs no challenge straight through, solving nothing', async () => {
    const request = jest.fn<LookUp>().mockResolvedValue('file');
    const solve = jest.fn<PickupChallengeSolver>();
    await expect(withPickupChallenge(request, { solve })).resolves.toBe('file');
    expect(request).toHaveBeenCalledTimes(1);
    expect(request).toHaveBeenCalledWith(null);
    expect(solve).not.toHaveBeenCalled();
  });

  it('solves the challenge of a 428 and repeats the request once with the header', async () => {
    const request = jest.fn<LookUp>().mockRejectedValueOnce(challengeRequired()).mockResolvedValueOnce('file');
    const solve = jest.fn<PickupChallengeSolver>().mockResolvedValue(solution);
    const solving: boolean[] = [];

    await expect(withPickupChallenge(request, { solve, onSolving: (s) => solving.push(s) })).resolves.toBe('file');
    expect(solve).toHaveBeenCalledWith(challenge);
    expect(request).toHaveBeenCalledTimes(2);
    expect(decode(request.mock.calls[1][0] as string)).toEqual({ challenge, solution });
    expect(solving).toEqual([true, false]);
  });

  it('retries only once: a second 428 is thrown', async () => {
    const second = challengeRequired({ challenge, reason: 'used' });
    const request = jest.fn<LookUp>().mockRejectedValueOnce(challengeRequired()).mockRejectedValueOnce(second);
    await expect(withPickupChallenge(request, { solve: async () => solution })).rejects.toBe(second);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('throws other errors at once', async () => {
    const notFound = new ApiError(404, 'PICKUP_CODE_NOT_FOUND', '');
    const solve = jest.fn<PickupChallengeSolver>();
    await expect(withPickupChallenge(() => Promise.reject(notFound), { solve })).rejects.toBe(notFound);
    expect(solve).not.toHaveBeenCalled();
  });

  it('leaves the 428 itself when solving fails, and says solving ended', async () => {
    const required = challengeRequired();
    const solving: boolean[] = [];
    const run = withPickupChallenge(() => Promise.reject(required), {
      solve: () => Promise.reject(new Error('timed out')),
      onSolving: (s) => solving.push(s),
    });
    await expect(run).rejects.toBe(required);
    expect(solving).toEqual([true, false]);
  });
});

describe('the client’s pickup calls with a challenge', () => {
  const recording = (response: () => Response) => {
    const requests: Request[] = [];
    return { requests, fetch: async (request: Request) => (requests.push(request), response()) };
  };

  it('sends the challenge header on a lookup', async () => {
    const { fetch, requests } = recording(() => Response.json({ file: {} }));
    const api = createApiClient({ baseUrl: 'http://gw.test', fetch });
    await api.pickup('ABC123', { challenge: 'c29sdmVk' });
    expect(requests[0]!.headers.get('x-pickup-challenge')).toBe('c29sdmVk');
  });

  it('asks for a download pass with the PIN and challenge headers, and throws a refusal as an ApiError', async () => {
    const { fetch, requests } = recording(() =>
      Response.json({ error: { code: 'CHALLENGE_REQUIRED', message: '', details: { challenge } } }, { status: 428 }),
    );
    const api = createApiClient({ baseUrl: 'http://gw.test/', accessToken: () => 'tok', fetch });
    const failure = await api
      .downloadPass('ABC123', { token: 'link', pin: '123456', challenge: 'c29sdmVk' })
      .catch((error: unknown) => error);

    expect(challengeOf(failure)).toEqual(challenge);
    const [request] = requests;
    expect(request!.url).toBe('http://gw.test/api/v1/files/pickup/ABC123/download-pass?t=link');
    expect(request!.headers.get('x-pickup-pin')).toBe('123456');
    expect(request!.headers.get('x-pickup-challenge')).toBe('c29sdmVk');
    expect(request!.headers.get('authorization')).toBe('Bearer tok');
  });
});
