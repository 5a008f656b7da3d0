// One proof-of-work solver off the page's thread: altcha-lib's worker loop (it answers
// `{type: 'work'}` and `{type: 'abort'}` messages of solveChallengeWorkers) with the browser's
// SHA-256 (Web Crypto), not the Node one its bundled sha worker imports.
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import { handler } from 'altcha-lib/workers/shared';

handler({ deriveKey });
