import express, { type NextFunction, type Request, type Response } from 'express';

/** Upload routes stream their bodies themselves; every other route may carry small JSON. */
function isUploadRoute(request: Request): boolean {
  const path = request.path;
  return (
    (request.method === 'POST' && /^\/api\/v1\/files\/?$/.test(path)) ||
    (request.method === 'PUT' && /^\/api\/v1\/files\/[^/]+$/.test(path)) ||
    /^\/api\/v1\/uploads(\/[^/]+)?\/?$/.test(path)
  );
}

export function jsonBodyMiddleware(limit: string) {
  const parse = express.json({ limit, strict: true });
  return (request: Request, response: Response, next: NextFunction): void => {
    if (isUploadRoute(request)) next();
    else parse(request, response, next);
  };
}
