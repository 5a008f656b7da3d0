import { Metadata, credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_ROOT } from '@lexy/contracts-grpc';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import fc from 'fast-check';
import { SignJWT, UnsecuredJWT } from 'jose';
import { api, json, patternStream, query, request, uploadMultipart } from './support/e2e.js';
import { bearer, login, loginAdmin, newEmail, newSource, patchUser, postJson, register } from './support/accounts.js';

type GrpcCallback = (error: ServiceError | null) => void;
interface GrpcTestClient {
  getFile(request: { fileId: string }, metadata: Metadata, callback: GrpcCallback): void;
  close(): void;
}

const jwtSecret = new TextEncoder().encode(process.env['E2E_JWT_SECRET'] ?? '');
const listFiles = (token: string) => request('GET', api('/files'), { headers: bearer(token) });

async function craft(
  claims: Record<string, unknown>,
  { alg = 'HS256', key = jwtSecret, header = {} as Record<string, unknown> } = {},
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'at+jwt', ...header }).sign(key);
}

describe('AUTH-01: forged, altered and malformed access tokens', () => {
  let valid: { sub: string; sid: string; grp: string };
  let validToken: string;
  let listener: Server;
  let connections = 0;

  beforeAll(async () => {
    const user = await register();
    validToken = user.accessToken;
    const payload = JSON.parse(Buffer.from(validToken.split('.')[1]!, 'base64url').toString());
    valid = { sub: payload.sub, sid: payload.sid, grp: payload.grp };
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(9, '127.0.0.2', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  const now = () => Math.floor(Date.now() / 1000);
  const base = () => ({ ...valid, iss: 'lexy-auth', aud: 'lexy-api', iat: now(), exp: now() + 600 });

  it('accepts the untouched token', async () => {
    expect((await listFiles(validToken)).status).toBe(200);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['alg none', async () => new UnsecuredJWT(base()).encode(), 'UNAUTHENTICATED'],
    ['signature stripped', async () => validToken.split('.').slice(0, 2).join('.') + '.', 'UNAUTHENTICATED'],
    ['another key', () => craft(base(), { key: new TextEncoder().encode('x'.repeat(48)) }), 'UNAUTHENTICATED'],
    ['HS512 with the right secret', () => craft(base(), { alg: 'HS512' }), 'UNAUTHENTICATED'],
    ['HS384 with the right secret', () => craft(base(), { alg: 'HS384' }), 'UNAUTHENTICATED'],
    ['expired', () => craft({ ...base(), iat: now() - 1000, exp: now() - 91 }), 'TOKEN_EXPIRED'],
    ['not yet valid', () => craft({ ...base(), nbf: now() + 120 }), 'UNAUTHENTICATED'],
    ['issued in the future', () => craft({ ...base(), iat: now() + 600, exp: now() + 1200 }), 'UNAUTHENTICATED'],
    ['path-like kid', () => craft(base(), { header: { kid: '../../../../dev/null' } }), 'UNAUTHENTICATED'],
    ['SQL-like kid', () => craft(base(), { header: { kid: "' OR 1=1 --" } }), 'UNAUTHENTICATED'],
    ['jku header', () => craft(base(), { header: { jku: 'http://127.0.0.2:9/keys' } }), 'UNAUTHENTICATED'],
    ['x5u header', () => craft(base(), { header: { x5u: 'http://127.0.0.2:9/keys' } }), 'UNAUTHENTICATED'],
    ['foreign issuer', () => craft({ ...base(), iss: 'someone-else' }), 'UNAUTHENTICATED'],
    ['foreign audience', () => craft({ ...base(), aud: 'other-api' }), 'UNAUTHENTICATED'],
    ['100 parts', async () => Array.from({ length: 100 }, () => 'a').join('.'), 'UNAUTHENTICATED'],
  ])('%s → 401 %s', async (_name, make, code) => {
    const response = await listFiles(await make());
    expect(response.status).toBe(401);
    expect(json(response).error.code).toBe(code);
  });

  it('refuses a 16 KB token without falling over, and never fetched a key URL', async () => {
    const response = await listFiles('a'.repeat(16 * 1024));
    expect([401, 431]).toContain(response.status);
    expect((await request('GET', api('/health'))).status).toBe(200);
    expect(connections).toBe(0);
  });

  it('accepts a token only when no byte of its header or payload changed (property)', async () => {
    const [header, payload, signature] = validToken.split('.') as [string, string, string];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'header' | 'payload'>('header', 'payload'),
        fc.string({ minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (part, insert, at) => {
          const original = part === 'header' ? header : payload;
          const decoded = Buffer.from(original, 'base64url').toString('utf8');
          const index = at % (decoded.length + 1);
          const mutated = decoded.slice(0, index) + insert + decoded.slice(index);
          fc.pre(mutated !== decoded);
          const encoded = Buffer.from(mutated).toString('base64url');
          const token = part === 'header' ? `${encoded}.${payload}.${signature}` : `${header}.${encoded}.${signature}`;
          expect((await listFiles(token)).status).toBe(401);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('AUTH-03: refresh-token rotation with reuse detection', () => {
  it('revokes the whole family when a used refresh token comes back, and leaves other devices alone', async () => {
    const { email, password } = await register();
    const laptop = await login(email, password);
    const phone = await login(email, password);

    const second = json(await postJson('/auth/refresh', { refreshToken: laptop.refreshToken }));
    expect((await listFiles(second.accessToken)).status).toBe(200);

    // Replayed after the grace window (≤ 10 s) that forgives a client racing itself.
    await query(
      'auth',
      'UPDATE sessions SET rotated_at = rotated_at - INTERVAL 11 SECOND WHERE refresh_token_hash = ?',
      [createHash('sha256').update(laptop.refreshToken).digest('hex')],
    );
    const replay = await postJson('/auth/refresh', { refreshToken: laptop.refreshToken });
    expect(replay.status).toBe(401);
    expect(json(replay).error.code).toBe('REFRESH_TOKEN_REUSED');

    expect((await postJson('/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
    const revoked = await listFiles(second.accessToken);
    expect(revoked.status).toBe(401);
    expect(json(revoked).error.code).toBe('SESSION_REVOKED');

    const phoneRefreshed = await postJson('/auth/refresh', { refreshToken: phone.refreshToken });
    expect(phoneRefreshed.status).toBe(200);
    expect((await listFiles(json(phoneRefreshed).accessToken)).status).toBe(200);
  });
});

describe('AUTH-05: revocation takes effect at once', () => {
  it('logout ends only that device’s session', async () => {
    const { email, password } = await register();
    const x = await login(email, password);
    const y = await login(email, password);
    expect((await listFiles(x.accessToken)).status).toBe(200); // now cached in the gateway
    expect((await postJson('/auth/logout', { refreshToken: x.refreshToken }, bearer(x.accessToken))).status).toBe(204);
    const refused = await listFiles(x.accessToken);
    expect(refused.status).toBe(401);
    expect(json(refused).error.code).toBe('SESSION_REVOKED');
    expect((await postJson('/auth/refresh', { refreshToken: x.refreshToken })).status).toBe(401);
    expect((await listFiles(y.accessToken)).status).toBe(200);
  });

  it('a password change that signs out other devices revokes them and gives this one fresh tokens', async () => {
    const { email, password } = await register();
    const x = await login(email, password);
    const y = await login(email, password);
    const changed = await postJson(
      '/auth/password',
      { currentPassword: password, newPassword: 'a brand new password', signOutOtherSessions: true },
      bearer(x.accessToken),
    );
    expect(changed.status).toBe(200);
    const fresh = json(changed);
    expect((await listFiles(fresh.accessToken)).status).toBe(200);
    expect((await listFiles(y.accessToken)).status).toBe(401);
    expect((await postJson('/auth/refresh', { refreshToken: y.refreshToken })).status).toBe(401);
    expect((await postJson('/auth/login', { email, password }, newSource())).status).toBe(401);
    await login(email, 'a brand new password');
  });

  it('an admin disabling the account stops every token at once', async () => {
    const user = await register();
    expect((await listFiles(user.accessToken)).status).toBe(200);
    const admin = await loginAdmin();
    const disabled = await patchUser(user.user.id, { disabled: true }, bearer(admin.accessToken));
    expect(disabled.status).toBe(200);
    // api.md: ACCOUNT_DISABLED is a 403
    const refused = await listFiles(user.accessToken);
    expect(refused.status).toBe(403);
    expect(json(refused).error.code).toBe('ACCOUNT_DISABLED');
    expect((await postJson('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
  });
});

describe('AUTH-06: login brute force and account enumeration', () => {
  it('answers an unknown email, a wrong password and a disabled account identically', async () => {
    const known = await register();
    const disabled = await register();
    const admin = await loginAdmin();
    await patchUser(disabled.user.id, { disabled: true }, bearer(admin.accessToken));
    const answers = await Promise.all([
      postJson('/auth/login', { email: newEmail(), password: 'whatever password' }, newSource()),
      postJson('/auth/login', { email: known.email, password: 'wrong password!' }, newSource()),
      postJson('/auth/login', { email: disabled.email, password: disabled.password }, newSource()),
    ]);
    for (const answer of answers) expect(answer.status).toBe(401);
    const bodies = answers.map((answer) => {
      const { error } = json(answer);
      return error;
    });
    expect(bodies[0].code).toBe('INVALID_CREDENTIALS');
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it('locks an account after repeated failures, even against the right password, with Retry-After', async () => {
    const { email, password } = await register();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const failure = await postJson('/auth/login', { email, password: `wrong-${attempt}-password` }, newSource());
      expect(failure.status).toBe(401);
    }
    const locked = await postJson('/auth/login', { email, password }, newSource());
    expect(locked.status).toBe(429);
    expect(json(locked).error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
  });

  it('limits one source spraying many accounts', async () => {
    const source = newSource();
    let limited: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let attempt = 0; attempt < 60 && !limited; attempt += 1) {
      const answer = await postJson('/auth/login', { email: newEmail(), password: 'Spring2026!' }, source);
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(401);
    }
    expect(limited && json(limited).error.code).toBe('RATE_LIMITED');
  });
});

describe('AUTH-08: identity never comes from what a client sends', () => {
  it('ignores identity headers: /me shows the token’s user', async () => {
    const user = await register();
    const admin = await loginAdmin();
    const response = await request('GET', api('/auth/me'), {
      headers: {
        ...bearer(user.accessToken),
        'x-user-id': admin.user.id,
        'x-user-role': 'admin',
        'x-forwarded-user': admin.user.id,
        'lexy-caller': 'forged',
      },
    });
    expect(response.status).toBe(200);
    expect(json(response).user).toEqual(expect.objectContaining({ id: user.user.id, group: 'normal' }));
    const adminOnly = await patchUser(
      user.user.id,
      { group: 'admin' },
      { ...bearer(user.accessToken), 'x-user-role': 'admin' },
    );
    expect(adminOnly.status).toBe(403);
  });

  it('a service refuses calls whose caller is not signed by the gateway', async () => {
    const uploaded = json(
      await uploadMultipart(patternStream(10, 'grpc'), { headers: bearer((await register()).accessToken) }),
    );
    const definition = loadSync(GRPC_SERVICES.files.protoPath, {
      includeDirs: [PROTO_ROOT],
      keepCase: false,
      longs: Number,
    });
    const pkg = loadPackageDefinition(definition) as unknown as {
      lexy: { files: { v1: { FileService: new (address: string, creds: unknown) => GrpcTestClient } } };
    };
    const client = new pkg.lexy.files.v1.FileService(process.env['E2E_FILES_GRPC'] ?? '', credentials.createInsecure());
    const call = (metadata: Metadata) =>
      new Promise<ServiceError | null>((resolve) =>
        client.getFile({ fileId: uploaded.file.id }, metadata, (error) => resolve(error)),
      );

    const bare = new Metadata();
    bare.set('user-id', 'someone');
    expect((await call(bare))?.code).toBe(16); // UNAUTHENTICATED

    const forged = new Metadata();
    const payload = Buffer.from(JSON.stringify({ sub: 'x', grp: 'admin', knd: 1, exp: 9e9 })).toString('base64url');
    forged.set(
      'lexy-caller',
      `${payload}.${createHmac('sha256', 'not-the-secret').update(payload).digest('base64url')}`,
    );
    expect((await call(forged))?.code).toBe(16);
    client.close();
  });
});
