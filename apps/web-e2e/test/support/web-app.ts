import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** The platform the global setup started, its gateway serving the web app at `/`. */
export const webUrl = (path = '/') => `${process.env['WEB_E2E_URL'] ?? 'http://127.0.0.1:17080'}${path}`;

export const WEB_ROOT = process.env['WEB_E2E_ROOT'] ?? join(ROOT, 'apps/web/dist/browser');

/**
 * The browser tests test the built app: without it they would only meet the gateway's
 * "not built" page, so they fail at once and say what to do (they are never skipped).
 */
export function requireBuiltWebApp(webRoot = WEB_ROOT): void {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `The web app is not built: ${index} does not exist. ` +
        'Build it with `npx nx run web:build` (npm test and npm start build it) and run the browser tests again.',
    );
  }
}
