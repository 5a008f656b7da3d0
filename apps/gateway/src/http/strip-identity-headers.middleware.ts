import type { NextFunction, Request, Response } from 'express';

/**
 * Headers that name an identity are never believed from outside (AUTH-08 a); they are
 * removed before anything reads the request, so no later code can start trusting them.
 */
const IDENTITY_HEADERS = ['x-user-id', 'x-user-role', 'x-user-group', 'x-device-id', 'x-forwarded-user', 'lexy-caller'];

export function stripIdentityHeadersMiddleware(request: Request, _response: Response, next: NextFunction): void {
  for (const header of IDENTITY_HEADERS) delete request.headers[header];
  next();
}
