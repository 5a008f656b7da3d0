import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webAppMiddleware } from './web-app.middleware.js';

const INDEX = '<!doctype html><title>app</title><app-root></app-root>';

/** An express app with the middleware in front of a catch-all that stands for Nest's routes. */
async function serve(webRoot: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(webAppMiddleware(webRoot));
  app.use((request, response) => {
    response.status(404).json({ passedOn: `${request.method} ${request.path}` });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('webAppMiddleware', () => {
  const built = mkdtempSync(join(tmpdir(), 'lexy-web-root-'));
  let app: Awaited<ReturnType<typeof serve>>;
  let unbuilt: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    writeFileSync(join(built, 'index.html'), INDEX);
    writeFileSync(join(built, 'main-AB12CD34.js'), 'console.log("app");');
    writeFileSync(join(built, 'chunk-85uf0_OS.js'), 'export {};');
    writeFileSync(join(built, 'site-manifest.json'), '{}');
    writeFileSync(join(built, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
    mkdirSync(join(built, 'media'));
    writeFileSync(join(built, 'media', 'logo-ZX98QW76.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await serve(built);
    unbuilt = await serve(join(built, 'no-such-folder'));
  });

  afterAll(async () => {
    await Promise.all([app.close(), unbuilt.close()]);
    rmSync(built, { recursive: true, force: true });
  });

  it('answers / with index.html, asked about again each time', async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(INDEX);
  });

  it('serves hashed bundles with their content type, cached for a year', async () => {
    const script = await fetch(`${app.url}/main-AB12CD34.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Angular's lazy chunks have mixed-case hashes.
    const chunk = await fetch(`${app.url}/chunk-85uf0_OS.js`);
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const image = await fetch(`${app.url}/media/logo-ZX98QW76.svg`);
    expect(image.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates files without a hash in their name', async () => {
    const manifest = await fetch(`${app.url}/site-manifest.json`);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    const icon = await fetch(`${app.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    expect(icon.headers.get('etag')).toBeTruthy();
  });

  it.each(['/pickup', '/p/7K3M9Q?t=abc', '/login/', '/files/some/deep/route'])(
    'answers the app route %s with index.html',
    async (path) => {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    },
  );

  it('answers a missing file with a 404 envelope, not with the app', async () => {
    const response = await fetch(`${app.url}/chunk-MISSING1.js`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it.each(['/api', '/api/v1/health', '/api/v1/nothing-here', '/api/docs', '/ws', '/ws/anything'])(
    'passes %s on to the API',
    async (path) => {
      const response = await fetch(`${app.url}${path}`);
      expect(await response.json()).toEqual({ passedOn: `GET ${path}` });
    },
  );

  it('passes on what is not a GET or HEAD', async () => {
    const response = await fetch(`${app.url}/pickup`, { method: 'POST' });
    expect(await response.json()).toEqual({ passedOn: 'POST /pickup' });
  });

  it('answers HEAD of / without a body', async () => {
    const response = await fetch(`${app.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(INDEX)));
    expect(await response.text()).toBe('');
  });

  it('without a built app, answers / and app routes with a page saying how to build it', async () => {
    for (const path of ['/', '/pickup']) {
      const response = await fetch(`${unbuilt.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('npx nx run web:build');
    }
    expect(await (await fetch(`${unbuilt.url}/api/v1/health`)).json()).toEqual({ passedOn: 'GET /api/v1/health' });
  });
});
