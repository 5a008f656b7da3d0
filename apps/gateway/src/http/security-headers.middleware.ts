import type { NextFunction, Request, Response } from 'express';

/** Headers every API answer carries; download routes add their own stricter ones. */
export function securityHeadersMiddleware(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  next();
}
