import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type GatewayReplica } from '../../../tools/platform/platform.mjs';
import { gatewayUrl, json, request } from './support/e2e.js';
import { socketUrl, TestSocket } from './support/sockets.js';

// The gateway serves the web app at `/` (GATEWAY_WEB_ROOT) beside the API. Two replicas make
// this independent of whether apps/web is built: one with a fake app of a page and a hashed
// bundle, one pointed at a folder that does not exist.
const FAKE_INDEX = '<!doctype html><html lang="en"><title>Lexy fake app</title><app-root></app-root></html>';
const FAKE_BUNDLE = 'document.title = "bundle";';
const mainPort = () => Number(new URL(gatewayUrl()).port);

describe('the web app at /', () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'lexy-e2e-web-'));
  let built: GatewayReplica;
  let unbuilt: GatewayReplica;

  beforeAll(async () => {
    writeFileSync(join(webRoot, 'index.html'), FAKE_INDEX);
    writeFileSync(join(webRoot, 'main-E2E0TEST.js'), FAKE_BUNDLE);
    const env = JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
    [built, unbuilt] = await Promise.all([
      startGateway({ env: { ...env, GATEWAY_WEB_ROOT: webRoot }, port: mainPort() + 6 }),
      startGateway({ env: { ...env, GATEWAY_WEB_ROOT: join(webRoot, 'not-built') }, port: mainPort() + 7 }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([built?.stop(), unbuilt?.stop()]);
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('answers / and the routes of the app with index.html, never cached unchecked', async () => {
    for (const path of ['/', '/pickup', '/p/7K3M9Q?t=abcdef', '/login']) {
      const page = await request('GET', `${built.url}${path}`);
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body.toString('utf8')).toBe(FAKE_INDEX);
      // No inline script in this page, so none may run (AZ-05).
      expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    }
  });

  it('serves a hashed bundle as JavaScript, cached for a year', async () => {
    const bundle = await request('GET', `${built.url}/main-E2E0TEST.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(bundle.body.toString('utf8')).toBe(FAKE_BUNDLE);
  });

  it('answers a missing file with the 404 envelope, not with the app', async () => {
    const missing = await request('GET', `${built.url}/chunk-NOTTHERE.js`);
    expect(missing.status).toBe(404);
    expect(json(missing)['error'].code).toBe('NOT_FOUND');
  });

  it('leaves the API to the API: health, unknown routes, the documentation', async () => {
    const health = await request('GET', `${built.url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    const unknown = await request('GET', `${built.url}/api/v1/no-such-route`);
    expect([unknown.status, json(unknown)['error'].code]).toEqual([404, 'NOT_FOUND']);
    const openapi = await request('GET', `${built.url}/api/v1/openapi.json`);
    expect(json(openapi)['openapi']).toEqual(expect.any(String));
    const docs = await request('GET', `${built.url}/api/docs`);
    expect(docs.body.toString('utf8')).not.toContain('Lexy fake app');
  });

  it('leaves /ws to the relay: the upgrade opens and the relay asks for authentication', async () => {
    const socket = new TestSocket(socketUrl('', built.url));
    await socket.opened;
    socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(4401);
  });

  it('without a built app, answers / with a page saying how to build it', async () => {
    const page = await request('GET', `${unbuilt.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body.toString('utf8')).toContain('npx nx run web:build');
    expect((await request('GET', `${unbuilt.url}/api/v1/health`)).status).toBe(200);
  });

  it("on the platform's own gateway, / is the built app or the page saying how to build it", async () => {
    const page = await request('GET', `${gatewayUrl()}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });
});
