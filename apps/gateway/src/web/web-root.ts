import { fileURLToPath } from 'node:url';

/**
 * Where the built web app is when nothing else is configured: `apps/web/dist/browser` of this
 * checkout. Found from this file's own place, which is `apps/gateway/dist/web/` when built and
 * `apps/gateway/src/web/` under jest: both are three folders below `apps/`.
 */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/browser', import.meta.url));
