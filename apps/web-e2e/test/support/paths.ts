import { fileURLToPath } from 'node:url';

/** The repository's root (this file is apps/web-e2e/test/support/paths.ts). */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
