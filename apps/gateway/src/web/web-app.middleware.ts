import { DomainError, ErrorCode } from '@lexy/server-errors';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendError } from '../http/error-envelope.filter.js';
import { webAppContentSecurityPolicy } from './content-security-policy.js';
import { notBuiltPage } from './not-built-page.js';

/** Paths of the API and the devices' WebSocket: never answered from the web app's files. */
const RESERVED_PATH = /^\/(api|ws)(\/|$)/;
/** A last path segment with an extension names a file; one without is a route of the app. */
const FILE_PATH = /\/[^/]*\.[^/]*$/;
/**
 * Angular's builder names what it bundles `<name>-<hash>.<ext>`, the hash 8 characters of
 * letters of both cases, digits, `_` and `-` (`chunk-85uf0_OS.js`): a new build is a new name,
 * so such files can be kept for a year. A hash always has a capital, a digit or `_` here, which
 * keeps plain words (`site-manifest.json`) out; the rare all-lower-case hash is only revalidated.
 */
const HASHED_NAME = /-(?=[A-Za-z0-9_-]{0,7}[A-Z0-9_])[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Kept, but asked about again each time (ETag / Last-Modified), so a new build shows at once. */
const REVALIDATE = 'no-cache';

function setCacheHeaders(response: Response, path: string): void {
  response.setHeader('Cache-Control', HASHED_NAME.test(path) ? IMMUTABLE : REVALIDATE);
}

/**
 * Serves the built single-page web app from `webRoot` at `/`: its files as they are, and
 * `index.html` for any other GET of a route-like path (no extension), so that a deep link such
 * as `/p/7K3M9Q` opens the app, which routes in the browser. `/api/…` and `/ws` pass through to
 * Nest untouched. A missing file (a path with an extension) is a 404 in the error envelope: Nest's
 * own not-found handler covers only the /api/v1 prefix. Without a built app (no `index.html`),
 * the app's routes get a page saying how to build it.
 */
export function webAppMiddleware(webRoot: string): RequestHandler {
  const files = express.static(webRoot, {
    index: false, // `/` is the app's route, answered below with index.html's own headers
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: setCacheHeaders,
  });
  const indexFile = join(webRoot, 'index.html');

  // Read on each navigation (a few kB), so that a rebuild shows at once; its policy is hashed
  // again only when the page changed.
  let policyOf = { html: '', policy: '' };
  const sendIndex = (response: Response, next: NextFunction) => {
    readFile(indexFile, 'utf8').then(
      (html) => {
        if (policyOf.html !== html) policyOf = { html, policy: webAppContentSecurityPolicy(html) };
        response
          .status(200)
          .type('html')
          .setHeader('Cache-Control', REVALIDATE)
          .setHeader('Content-Security-Policy', policyOf.policy)
          .send(html);
      },
      (error: NodeJS.ErrnoException) => {
        if (response.headersSent) return;
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
          response.status(200).type('html').setHeader('Cache-Control', 'no-store').send(notBuiltPage(webRoot));
        } else {
          next(error);
        }
      },
    );
  };

  return (request: Request, response: Response, next: NextFunction): void => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || RESERVED_PATH.test(request.path)) return next();
    files(request, response, (error?: unknown) => {
      if (error) return next(error);
      if (FILE_PATH.test(request.path))
        return sendError(response, new DomainError(ErrorCode.NOT_FOUND, 'No such file'));
      sendIndex(response, next);
    });
  };
}
