import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../tools/browser/chromium.mjs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Playwright's default viewport, named so that screenshots say which size they show. */
export const DESKTOP = { width: 1280, height: 720 };
/** A phone's screen (the 390×844). */
export const PHONE = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface PageFixture {
  /** A page in a browser context of its own (its own cookies and storage: another person). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * The page fixture of a test file: one Chromium for the file, a fresh context per page, every
 * context closed after its test. Uncaught errors of a page are printed, since they explain a
 * locator that never appears better than its timeout does.
 */
export function usePages(): PageFixture {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    async newPage(options = {}) {
      if (!browser) throw new Error('Chromium did not start (see the beforeAll error above)');
      const context = await browser.newContext({ acceptDownloads: true, ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.warn(`uncaught error in ${page.url()}: ${error.message}`));
      return page;
    },
  };
}
