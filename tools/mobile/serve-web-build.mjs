// Serves the mobile app's web build (apps/mobile/dist/browser) on an origin of its own, as a
// phone's web view would load it from its bundle: used by `npm start` (http://localhost:8100)
// and by the browser end-to-end tests. `/server.json` tells the app which gateway to use, the way
// a self-hoster may bake one into a build (apps/mobile/public/server.json).
import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../platform/platform.mjs';

export const MOBILE_WEB_ROOT = join(ROOT, 'apps/mobile/dist/browser');

export function mobileWebBuilt(root = MOBILE_WEB_ROOT) {
  return existsSync(join(root, 'index.html'));
}

/** Starts the server; resolves with its URL and a close function. */
export function serveMobileWebBuild({ root = MOBILE_WEB_ROOT, host = '127.0.0.1', port, serverUrl }) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/server.json', (_request, response) => response.json({ serverUrl }));
  app.use(express.static(root, { index: false, redirect: false }));
  // Any other route-like path is one of the app's screens: the app routes in the browser.
  app.use((request, response) => {
    if (request.method !== 'GET' || /\.[^/]*$/.test(request.path)) return response.status(404).end();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(root, 'index.html'));
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () =>
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${server.address().port}`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
    server.once('error', reject);
  });
}
