import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEB_ROOT } from './web-root.js';

describe('DEFAULT_WEB_ROOT', () => {
  it("is the web app's build output in this checkout", () => {
    const apps = fileURLToPath(new URL('../../..', import.meta.url));
    expect(DEFAULT_WEB_ROOT).toBe(join(apps, 'web/dist/browser'));
  });
});
