import { DomainError, ErrorCode } from '@lexy/server-errors';
import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { createHmac } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { loadAuthConfig } from '../config/auth.config.js';
import { Clock } from './clock.js';
import { MAX_ACCESS_TOKEN_LENGTH, TokenService } from './token.service.js';

const SECRET = 'unit-test-secret-of-at-least-32-characters!';
const OTHER_SECRET = 'another-environments-secret-also-32-characters';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const NOW = T0 / 1000;

class FakeClock extends Clock {
  constructor(private current: number) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
}

type Json = Record<string, unknown>;
type HmacHash = 'sha256' | 'sha384' | 'sha512';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const encode = (part: Json) => b64url(JSON.stringify(part));

const userId = uuidv7();
const sessionId = uuidv7();
const goodHeader = (): Json => ({ alg: 'HS256', typ: 'at+jwt' });
const goodClaims = (): Json => ({
  sub: userId,
  sid: sessionId,
  grp: 'anonymous',
  iss: 'lexy-auth',
  aud: 'lexy-api',
  iat: NOW,
  exp: NOW + 900,
  jti: 'c0ffee',
});

/** Signs any header and payload with HMAC, exactly as given (no library second-guessing). */
function hmacToken(header: Json, payload: Json, key: string | Uint8Array = SECRET, hash: HmacHash = 'sha256'): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
}

const withHeader = (extra: Json) => hmacToken({ ...goodHeader(), ...extra }, goodClaims());
const withClaims = (extra: Json) => hmacToken(goodHeader(), { ...goodClaims(), ...extra });
const withoutClaim = (name: string) => {
  const claims = goodClaims();
  delete claims[name];
  return hmacToken(goodHeader(), claims);
};

async function asymmetricToken(alg: 'ES256' | 'RS256', header: Json = {}, key?: CryptoKey): Promise<string> {
  const signingKey = key ?? (await generateKeyPair(alg)).privateKey;
  return new SignJWT(goodClaims()).setProtectedHeader({ ...header, alg, typ: 'at+jwt' }).sign(signingKey);
}

/** The outcome of verify as a code, so each case reads as one expectation. */
async function outcome(service: TokenService, token: string): Promise<string> {
  try {
    await service.verify(token);
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

function makeService(clock: Clock = new FakeClock(T0)): TokenService {
  const config = loadAuthConfig({ AUTH_JWT_SECRET: SECRET });
  return new TokenService(config, clock);
}

describe('TokenService', () => {
  let clock: FakeClock;
  let service: TokenService;

  beforeEach(() => {
    clock = new FakeClock(T0);
    service = makeService(clock);
  });

  describe('issue', () => {
    it('signs an HS256 at+jwt with sub, sid, grp, iss, aud, iat, exp and jti', async () => {
      const { token, expiresIn } = await service.issue({ userId, sessionId, group: 'anonymous' });
      const [header, payload] = token
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));

      expect(expiresIn).toBe(900);
      expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
      expect(payload).toEqual({
        sub: userId,
        sid: sessionId,
        grp: 'anonymous',
        iss: 'lexy-auth',
        aud: 'lexy-api',
        iat: NOW,
        exp: NOW + 900,
        jti: expect.any(String),
      });
      expect(await service.verify(token)).toEqual({ userId, sessionId, group: 'anonymous' });
    });

    it('gives every token its own jti', async () => {
      const jti = async () => {
        const { token } = await service.issue({ userId, sessionId, group: 'anonymous' });
        return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).jti;
      };
      expect(await jti()).not.toEqual(await jti());
    });

    it('uses the configured issuer, audience and lifetime', async () => {
      const config = loadAuthConfig({
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_ISSUER: 'issuer-x',
        AUTH_JWT_AUDIENCE: 'audience-y',
        AUTH_ACCESS_TOKEN_TTL_SECONDS: '120',
      });
      const custom = new TokenService(config, clock);
      const { token, expiresIn } = await custom.issue({ userId, sessionId, group: 'vip' });
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());

      expect(expiresIn).toBe(120);
      expect(payload).toMatchObject({ iss: 'issuer-x', aud: 'audience-y', exp: NOW + 120 });
      expect(await custom.verify(token)).toEqual({ userId, sessionId, group: 'vip' });
      expect(await outcome(service, token)).toBe(ErrorCode.UNAUTHENTICATED);
    });
  });

  describe('expiry (injected clock)', () => {
    it('accepts a token until exp plus the 30 s leeway, then reports TOKEN_EXPIRED', async () => {
      const { token } = await service.issue({ userId, sessionId, group: 'anonymous' });

      clock.set(T0 + (900 + 29) * 1000);
      expect(await outcome(service, token)).toBe('OK');

      clock.set(T0 + (900 + 31) * 1000);
      expect(await outcome(service, token)).toBe(ErrorCode.TOKEN_EXPIRED);
    });

    it('(d) exp = now - 31 s → TOKEN_EXPIRED', async () => {
      expect(await outcome(service, withClaims({ iat: NOW - 931, exp: NOW - 31 }))).toBe(ErrorCode.TOKEN_EXPIRED);
    });

    it('an expired token with a bad signature is UNAUTHENTICATED, not TOKEN_EXPIRED', async () => {
      const forged = hmacToken(goodHeader(), { ...goodClaims(), iat: NOW - 931, exp: NOW - 31 }, OTHER_SECRET);
      expect(await outcome(service, forged)).toBe(ErrorCode.UNAUTHENTICATED);
    });

    it('accepts iat and nbf slightly ahead of the clock (within the leeway)', async () => {
      expect(await outcome(service, withClaims({ iat: NOW + 29, nbf: NOW + 29 }))).toBe('OK');
    });
  });

  describe('AUTH-01: every crafted token is refused', () => {
    let rsaPublicPem: string;
    let rsaPrivateKey: CryptoKey;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256', { extractable: true });
      rsaPublicPem = await exportSPKI(pair.publicKey);
      rsaPrivateKey = pair.privateKey;
    });

    it('the untouched hand-made token is accepted (so every refusal below is meaningful)', async () => {
      expect(await outcome(service, hmacToken(goodHeader(), goodClaims()))).toBe('OK');
    });

    const cases: Array<[string, () => string | Promise<string>]> = [
      // (a)
      ['(a) alg none, empty signature', () => `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(goodClaims())}.`],
      ['(a) alg None', () => `${encode({ alg: 'None', typ: 'at+jwt' })}.${encode(goodClaims())}.`],
      ['(a) alg NONE', () => `${encode({ alg: 'NONE', typ: 'at+jwt' })}.${encode(goodClaims())}.`],
      ['(a) jose UnsecuredJWT', () => new UnsecuredJWT(goodClaims()).encode()],
      [
        '(a) alg none carrying a valid HS256 signature',
        () => {
          const signature = hmacToken(goodHeader(), goodClaims()).split('.')[2];
          return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(goodClaims())}.${signature}`;
        },
      ],
      // (b)
      ['(b) signature stripped, trailing dot kept', () => hmacToken(goodHeader(), goodClaims()).replace(/[^.]+$/, '')],
      ['(b) signature stripped, two parts', () => hmacToken(goodHeader(), goodClaims()).replace(/\.[^.]+$/, '')],
      ['(b) signed with another environment’s secret', () => hmacToken(goodHeader(), goodClaims(), OTHER_SECRET)],
      [
        '(b) signature of another token spliced on',
        () => {
          const other = hmacToken(goodHeader(), { ...goodClaims(), sub: uuidv7() }).split('.')[2];
          return hmacToken(goodHeader(), goodClaims()).replace(/[^.]+$/, other ?? '');
        },
      ],
      // (c)
      [
        '(c) HS384 with the right secret',
        () => hmacToken({ ...goodHeader(), alg: 'HS384' }, goodClaims(), SECRET, 'sha384'),
      ],
      [
        '(c) HS512 with the right secret',
        () => hmacToken({ ...goodHeader(), alg: 'HS512' }, goodClaims(), SECRET, 'sha512'),
      ],
      ['(c) HS256 keyed with an RS256 public-key PEM', () => hmacToken(goodHeader(), goodClaims(), rsaPublicPem)],
      ['(c) RS256', () => asymmetricToken('RS256', {}, rsaPrivateKey)],
      ['(c) ES256', () => asymmetricToken('ES256')],
      // (e), (f)
      ['(e) nbf = now + 120 s', () => withClaims({ nbf: NOW + 120 })],
      ['(f) iat in the future beyond the leeway', () => withClaims({ iat: NOW + 120, exp: NOW + 1020 })],
      // (g): signed with the RIGHT secret, so only the header check can refuse them
      ['(g) kid ../../../../dev/null', () => withHeader({ kid: '../../../../dev/null' })],
      ["(g) kid ' OR 1=1 --", () => withHeader({ kid: "' OR 1=1 --" })],
      ['(g) kid of 10 KB', () => withHeader({ kid: 'k'.repeat(10 * 1024) })],
      ['(g) kid of 1 KB (under the length cap)', () => withHeader({ kid: 'k'.repeat(1024) })],
      // (i)
      ['(i) foreign iss', () => withClaims({ iss: 'https://evil.example' })],
      ['(i) no iss', () => withoutClaim('iss')],
      // (j)
      ['(j) a 16 KB token (validly signed)', () => withClaims({ pad: 'x'.repeat(16 * 1024) })],
      [
        `(j) just over ${MAX_ACCESS_TOKEN_LENGTH} characters (validly signed)`,
        () => {
          const base = withClaims({ pad: '' }).length;
          return withClaims({ pad: 'x'.repeat(Math.ceil(((MAX_ACCESS_TOKEN_LENGTH - base + 4) * 3) / 4)) });
        },
      ],
      ['(j) 100 dot-separated parts', () => `${hmacToken(goodHeader(), goodClaims())}${'.x'.repeat(97)}`],
      ['(j) 100 empty parts', () => '.'.repeat(99)],
      // claims and header otherwise wrong
      ['wrong aud', () => withClaims({ aud: 'lexy-admin' })],
      ['aud list without ours', () => withClaims({ aud: ['a', 'b'] })],
      ['no aud', () => withoutClaim('aud')],
      ['typ JWT', () => withHeader({ typ: 'JWT' })],
      ['no typ', () => hmacToken({ alg: 'HS256' }, goodClaims())],
      ['typ of an ID token / refresh token', () => withHeader({ typ: 'rt+jwt' })],
      ['crit header', () => withHeader({ crit: ['exp'] })],
      ['b64 false', () => withHeader({ b64: false, crit: ['b64'] })],
      ['no exp', () => withoutClaim('exp')],
      ['no iat', () => withoutClaim('iat')],
      ['no sub', () => withoutClaim('sub')],
      ['no sid', () => withoutClaim('sid')],
      ['sub not a UUID', () => withClaims({ sub: "1' OR '1'='1" })],
      ['sid not a UUID', () => withClaims({ sid: 42 })],
      ['exp as a string', () => withClaims({ exp: String(NOW + 900) })],
      ['payload not JSON', () => `${encode(goodHeader())}.${b64url('not json')}.c2ln`],
      ['payload a JSON array', () => hmacToken(goodHeader(), [] as unknown as Json)],
      ['header not JSON', () => `${b64url('{"alg":')}.${encode(goodClaims())}.c2ln`],
      ['not base64url', () => 'a+b/c=.d.e'],
      ['empty', () => ''],
      ['Bearer prefix left on', () => `Bearer ${hmacToken(goodHeader(), goodClaims())}`],
    ];

    it(`accepts a validly signed token of up to ${MAX_ACCESS_TOKEN_LENGTH} characters`, async () => {
      const base = withClaims({ pad: '' }).length;
      const token = withClaims({ pad: 'x'.repeat(Math.floor(((MAX_ACCESS_TOKEN_LENGTH - base - 4) * 3) / 4)) });
      expect(token.length).toBeLessThanOrEqual(MAX_ACCESS_TOKEN_LENGTH);
      expect(token.length).toBeGreaterThan(MAX_ACCESS_TOKEN_LENGTH - 16);
      expect(await outcome(service, token)).toBe('OK');
    });

    it.each(cases)('%s → UNAUTHENTICATED', async (_name, makeToken) => {
      expect(await outcome(service, await makeToken())).toBe(ErrorCode.UNAUTHENTICATED);
    });

    describe('(h) key-location headers are never followed', () => {
      let listener: Server;
      let connections = 0;
      let keysUrl: string;

      beforeAll(async () => {
        listener = createServer((socket) => {
          connections += 1;
          socket.destroy();
        });
        // Port 9 needs privileges; any free port on 127.0.0.2 proves the same thing.
        const listenOn = (port: number) =>
          new Promise<void>((resolve, reject) => {
            listener.once('error', reject);
            listener.listen(port, '127.0.0.2', () => {
              listener.off('error', reject);
              resolve();
            });
          });
        await listenOn(9).catch(() => listenOn(0));
        const { port } = listener.address() as AddressInfo;
        keysUrl = `http://127.0.0.2:${port}/keys`;

        // Prove the rig counts: one real connection is seen, then the count starts from zero.
        const seen = new Promise<void>((resolve) => listener.once('connection', () => resolve()));
        const probe = connect({ host: '127.0.0.2', port }).on('error', () => undefined);
        await seen;
        probe.destroy();
        expect(connections).toBe(1);
        connections = 0;
      });

      afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

      const attackerKey = new TextEncoder().encode('attacker-controlled-hmac-key-0123456789');
      const headerCases: Array<[string, (url: string) => Json]> = [
        ['jku', (url) => ({ jku: url })],
        ['x5u', (url) => ({ x5u: url })],
        ['jwk (embedded attacker key)', () => ({ jwk: { kty: 'oct', k: b64url(Buffer.from(attackerKey)) } })],
        ['jwk with an x5u inside', (url) => ({ jwk: { kty: 'oct', k: b64url(Buffer.from(attackerKey)), x5u: url } })],
        ['jku and kid', (url) => ({ jku: url, kid: 'key-1' })],
      ];

      it.each(headerCases)('%s, signed by the attacker → UNAUTHENTICATED', async (_name, header) => {
        const token = hmacToken({ ...goodHeader(), ...header(keysUrl) }, goodClaims(), attackerKey);
        expect(await outcome(service, token)).toBe(ErrorCode.UNAUTHENTICATED);
      });

      it.each(headerCases)('%s, signed with the right secret → UNAUTHENTICATED', async (_name, header) => {
        expect(await outcome(service, withHeader(header(keysUrl)))).toBe(ErrorCode.UNAUTHENTICATED);
      });

      it.each(headerCases)('%s on an ES256 token → UNAUTHENTICATED', async (_name, header) => {
        expect(await outcome(service, await asymmetricToken('ES256', header(keysUrl)))).toBe(ErrorCode.UNAUTHENTICATED);
      });

      it('the listener saw 0 connections', async () => {
        // Let any connection attempt that verify might have started reach the listener first.
        await new Promise((resolve) => setImmediate(resolve));
        expect(keysUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/keys$/);
        expect(connections).toBe(0);
      });
    });

    describe('any single change to a valid token breaks it', () => {
      const valid = () => hmacToken(goodHeader(), goodClaims());
      const resign = (header: Json, payload: Json) => {
        const signature = valid().split('.')[2];
        return `${encode(header)}.${encode(payload)}.${signature}`;
      };
      const mutations: Array<[string, () => string]> = [
        ...Object.keys(goodClaims()).map((name): [string, () => string] => [
          `payload.${name} changed`,
          () => resign(goodHeader(), { ...goodClaims(), [name]: name === 'exp' || name === 'iat' ? NOW - 1 : 'x' }),
        ]),
        ...Object.keys(goodClaims()).map((name): [string, () => string] => [
          `payload.${name} removed`,
          () => {
            const claims = goodClaims();
            delete claims[name];
            return resign(goodHeader(), claims);
          },
        ]),
        ['payload.grp raised to admin', () => resign(goodHeader(), { ...goodClaims(), grp: 'admin' })],
        ['header.typ changed', () => resign({ ...goodHeader(), typ: 'JWT' }, goodClaims())],
        ['header reordered', () => resign({ typ: 'at+jwt', alg: 'HS256' }, goodClaims())],
        // The first character: the last one of a base64url HMAC carries 2 unused bits.
        [
          'one signature character flipped',
          () =>
            valid().replace(/\.([^.])([^.]*)$/, (_m, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest}`),
        ],
      ];

      it.each(mutations)('%s → UNAUTHENTICATED', async (_name, makeToken) => {
        expect(await outcome(service, makeToken())).toBe(ErrorCode.UNAUTHENTICATED);
      });
    });
  });
});
