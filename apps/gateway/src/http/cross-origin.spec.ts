import type { NextFunction, Request, Response } from 'express';
import { allowedOrigins, crossOriginMiddleware } from './cross-origin.js';

/** Runs the middleware on a request with these headers; answers what it set and whether it went on. */
function run(method: string, headers: Record<string, string>) {
  const set = new Map<string, string>();
  let status: number | null = null;
  let passedOn = false;
  const response = {
    vary: (field: string) => set.set('vary', field),
    setHeader: (name: string, value: string) => set.set(name.toLowerCase(), value),
    status: (code: number) => ((status = code), response),
    end: () => undefined,
  };
  const middleware = crossOriginMiddleware(allowedOrigins('https://files.example', ['http://127.0.0.1:8100']));
  middleware(
    { method, headers } as unknown as Request,
    response as unknown as Response,
    (() => {
      passedOn = true;
    }) as NextFunction,
  );
  return { set, status, passedOn };
}

describe('crossOriginMiddleware', () => {
  it('answers an allowed origin’s preflight itself, without credentials', () => {
    const { set, status, passedOn } = run('OPTIONS', {
      origin: 'capacitor://localhost',
      'access-control-request-method': 'PATCH',
    });
    expect(status).toBe(204);
    expect(passedOn).toBe(false);
    expect(set.get('access-control-allow-origin')).toBe('capacitor://localhost');
    expect(set.get('access-control-allow-headers')).toContain('Upload-Offset');
    expect(set.get('access-control-allow-headers')).toContain('Authorization');
    expect(set.get('access-control-allow-methods')).toContain('PATCH');
    expect(set.has('access-control-allow-credentials')).toBe(false);
  });

  it('lets an allowed origin read the answer’s tus and retry headers', () => {
    const { set, passedOn } = run('POST', { origin: 'http://127.0.0.1:8100' });
    expect(passedOn).toBe(true);
    expect(set.get('access-control-allow-origin')).toBe('http://127.0.0.1:8100');
    expect(set.get('access-control-expose-headers')).toMatch(/Location.*Retry-After.*Upload-Offset/);
  });

  it('gives any other origin no CORS headers at all, and passes its preflight on', () => {
    for (const origin of ['https://evil.example', 'https://files.example.evil.example', 'null']) {
      const { set, status, passedOn } = run('OPTIONS', { origin, 'access-control-request-method': 'POST' });
      expect(passedOn).toBe(true);
      expect(status).toBeNull();
      expect([...set.keys()]).toEqual(['vary']);
    }
  });
});
