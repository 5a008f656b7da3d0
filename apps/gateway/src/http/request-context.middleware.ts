import { acceptRequestId, REQUEST_ID_HEADER, runWithRequestContext } from '@lexy/server-logging';
import type { NextFunction, Request, Response } from 'express';

/** Gives every request an id (the caller's, if well-formed), echoes it, and runs the rest in its context. */
export function requestContextMiddleware(request: Request, response: Response, next: NextFunction): void {
  const requestId = acceptRequestId(request.headers[REQUEST_ID_HEADER]);
  response.setHeader('X-Request-Id', requestId);
  runWithRequestContext({ requestId }, next);
}
