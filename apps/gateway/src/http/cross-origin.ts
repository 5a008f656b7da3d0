import type { NextFunction, Request, Response } from 'express';

/**
 * The origins the platform's own mobile app runs at: Capacitor serves it from `https://localhost`
 * in Android's web view and from `capacitor://localhost` in iOS's.
 */
export const MOBILE_APP_ORIGINS = ['https://localhost', 'capacitor://localhost'] as const;

/** What a client sends beyond the CORS-safelisted headers: tokens, tus, pickup passes. */
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Metadata',
  'Upload-Offset',
  'Upload-Checksum',
  'Upload-Defer-Length',
  'Upload-Concat',
  'X-HTTP-Method-Override',
  'X-Pickup-Pin',
  'X-Pickup-Challenge',
  'X-Request-Id',
].join(', ');
/** What a client reads beyond the safelisted response headers. */
const EXPOSED_HEADERS = [
  'Location',
  'Retry-After',
  'Content-Disposition',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Max-Size',
  'Tus-Extension',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Expires',
  'Upload-Metadata',
  'X-Pickup-Code',
  'X-File-Id',
  'X-Request-Id',
].join(', ');
const ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, PUT, DELETE';
/** Browsers cap this themselves (Chromium at 2 hours); 10 minutes keeps a policy change quick. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Every origin a browser may call the API from: the platform's own, the mobile app's, any configured. */
export function allowedOrigins(publicUrl: string, clientOrigins: readonly string[]): ReadonlySet<string> {
  return new Set([new URL(publicUrl).origin, ...MOBILE_APP_ORIGINS, ...clientOrigins]);
}

/**
 * Cross-origin access for the allowed origins only, and never with credentials: the API
 * authenticates with bearer tokens a page must hold, not with cookies a browser would attach on
 * its own, so another site's page gains nothing from the browser. A preflight from an allowed
 * origin is answered here; anyone else's requests go on without CORS headers, which a browser
 * then refuses to hand to the page.
 */
export function crossOriginMiddleware(allowed: ReadonlySet<string>) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    response.vary('Origin');
    if (!origin || !allowed.has(origin)) return next();
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (request.method !== 'OPTIONS' || !request.headers['access-control-request-method']) return next();
    response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    response.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    response.status(204).end();
  };
}
