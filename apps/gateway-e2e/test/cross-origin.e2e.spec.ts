import { bearer, newSource, postJson, register } from './support/accounts.js';
import { api, json, newDevice, request } from './support/e2e.js';
import { socketWithToken, TestSocket } from './support/sockets.js';

// Cross-origin access for the mobile app (Capacitor serves it from https://localhost on Android,
// capacitor://localhost on iOS): its preflights are answered, its tus uploads can read their
// Location and offsets, its socket opens; any other origin gets no CORS headers at all.

const IOS_APP = 'capacitor://localhost';
const ANDROID_APP = 'https://localhost';
const TUS = { 'tus-resumable': '1.0.0' };

describe('cross-origin access for the mobile app', () => {
  it('answers the app’s tus preflight and lets it read the new upload’s Location', async () => {
    const preflight = await request('OPTIONS', api('/uploads'), {
      headers: {
        origin: IOS_APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,tus-resumable,upload-length,upload-metadata',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(IOS_APP);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Upload-Metadata/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

    const device = newDevice();
    const created = await request('POST', api('/uploads'), {
      headers: {
        ...TUS,
        ...device.headers,
        origin: ANDROID_APP,
        'upload-length': '5',
        'upload-metadata': `filename ${Buffer.from('hello.txt').toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(ANDROID_APP);
    expect(String(created.headers['access-control-expose-headers'])).toMatch(/Location/);
    expect(String(created.headers['access-control-expose-headers'])).toMatch(/Upload-Offset/);
  });

  it('lets the app read the error envelope of a refused API call', async () => {
    const refused = await postJson(
      '/auth/login',
      { email: 'nobody@example.org', password: 'wrong password' },
      {
        ...newSource(),
        origin: IOS_APP,
      },
    );
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(IOS_APP);
    expect(json(refused).error.code).toBeTruthy();
  });

  it('gives a foreign origin no CORS headers, on the API and on tus alike', async () => {
    const preflight = await request('OPTIONS', api('/uploads'), {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const device = newDevice();
    const created = await request('POST', api('/uploads'), {
      headers: { ...TUS, ...device.headers, origin: 'https://evil.example', 'upload-length': '5' },
    });
    expect(created.headers['access-control-allow-origin']).toBeUndefined();
    const health = await request('GET', api('/health'), { headers: { origin: 'https://evil.example' } });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens the app’s WebSocket from both app origins', async () => {
    const session = await register();
    const created = await postJson('/devices', { name: 'Phone', platform: 'android' }, bearer(session.accessToken));
    const deviceId = json(created).device.id as string;
    for (const origin of [IOS_APP, ANDROID_APP]) {
      const socket: TestSocket = socketWithToken(session.accessToken, deviceId, { origin });
      try {
        expect((await socket.next('ready')).deviceId).toBe(deviceId);
      } finally {
        await socket.close();
      }
    }
  });
});
