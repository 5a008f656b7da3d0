import { api, gatewayUrl, json, request } from './support/e2e.js';

describe('API contract: health, documentation and the error envelope', () => {
  it('reports every part healthy', async () => {
    const response = await request('GET', api('/health'));
    expect(response.status).toBe(200);
    expect(json(response)).toEqual({
      status: 'ok',
      details: { auth: 'up', files: 'up', quotas: 'up', relay: 'up', storage: 'up' },
    });
  });

  it('serves the OpenAPI document and the browsable docs', async () => {
    const document = json(await request('GET', api('/openapi.json')));
    expect(document.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/auth/anonymous',
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/password',
      '/api/v1/admin/users/{id}',
      '/api/v1/files',
      '/api/v1/files/{filename}',
      '/api/v1/files/pickup/{code}',
      '/api/v1/files/pickup/{code}/download',
      '/api/v1/files/{id}',
      '/api/v1/files/{id}/download',
      '/api/v1/health',
      '/api/v1/devices',
      '/api/v1/devices/{id}',
      '/api/v1/devices/{id}/heartbeat',
      '/api/v1/transfers',
      '/api/v1/transfers/{id}',
      '/api/v1/transfers/{id}/accept',
      '/api/v1/transfers/{id}/reject',
      '/api/v1/transfers/{id}/cancel',
    ]) {
      expect(document.paths).toHaveProperty([path]);
    }
    expect(document.components.schemas.ErrorEnvelope).toBeDefined();
    // Downloads document their refusals: traffic (and, for pickups, the lookup limits) and ranges.
    const pickupDownload = document.paths['/api/v1/files/pickup/{code}/download'].get.responses;
    expect(pickupDownload['429'].description).toMatch(/QUOTA_EXCEEDED[\s\S]*RATE_LIMITED/);
    expect(pickupDownload['429'].headers).toHaveProperty('Retry-After');
    expect(pickupDownload).toHaveProperty('416');
    expect(document.paths['/api/v1/files/{id}/download'].get.responses['429'].description).toMatch(/QUOTA_EXCEEDED/);
    expect(document.paths['/api/v1/files/pickup/{code}'].get.responses['429'].description).toMatch(/RATE_LIMITED/);
    const docs = await request('GET', `${gatewayUrl()}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.body.toString()).toMatch(/swagger/i);
  });

  it.each([
    ['GET', '/nothing-here', undefined, 404, 'NOT_FOUND'],
    ['DELETE', '/auth/anonymous', undefined, 404, 'NOT_FOUND'],
    ['POST', '/auth/anonymous', '{"fingerprint": ', 400, 'VALIDATION_FAILED'],
    ['POST', '/auth/anonymous', '{"fingerprint": "x", "group": "admin"}', 400, 'VALIDATION_FAILED'],
    ['POST', '/auth/anonymous', JSON.stringify({ fingerprint: 'x'.repeat(100_000) }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('%s %s → %i %s in the envelope', async (method, path, body, status, code) => {
    const response = await request(method, api(path), {
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const envelope = json(response);
    expect(envelope.error.code).toBe(code);
    expect(typeof envelope.error.message).toBe('string');
    expect(envelope.error).toHaveProperty('details');
    expect(response.body.toString()).not.toMatch(/ at .*\.js:\d+/); // no stack traces
  });

  it('echoes a request id for tracing', async () => {
    const response = await request('GET', api('/health'), { headers: { 'x-request-id': 'trace-me-123' } });
    expect(response.headers['x-request-id']).toBe('trace-me-123');
  });
});
