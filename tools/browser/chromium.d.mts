// Types of chromium.mjs for TypeScript callers (tests import it directly, without a build).
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];
