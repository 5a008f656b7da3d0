import { api, json, request } from './support/e2e.js';
import { bearer, postJson, register } from './support/accounts.js';

// Devices and transfer offers through the gateway's REST API (relay service behind gRPC).
type Headers = Record<string, string>;

const get = (path: string, headers: Headers) => request('GET', api(path), { headers });
const remove = (path: string, headers: Headers) => request('DELETE', api(path), { headers });

async function registeredDevice(auth: Headers, name: string, platform = 'web') {
  const response = await postJson('/devices', { name, platform }, auth);
  expect(response.status).toBe(201);
  return json(response).device as { id: string; name: string; online: boolean; lastSeenAt: string | null };
}

async function signedIn(): Promise<Headers> {
  return bearer((await register()).accessToken);
}

const offer = (auth: Headers, fromDeviceId: string, toDeviceId: string, files = [{ name: 'a.txt', size: 3 }]) =>
  postJson('/transfers', { fromDeviceId, toDeviceId, files, mode: 'relay' }, auth);

describe('devices', () => {
  it('registers, lists with presence after a heartbeat, and deletes', async () => {
    const auth = await signedIn();
    const laptop = await registeredDevice(auth, 'Laptop', 'linux');
    const phone = await registeredDevice(auth, 'Phone', 'android');
    expect(laptop).toMatchObject({ name: 'Laptop', online: false, lastSeenAt: null });

    expect((await request('POST', api(`/devices/${phone.id}/heartbeat`), { headers: auth })).status).toBe(204);
    const { items } = json(await get('/devices', auth));
    expect(
      items.map((device: { name: string; platform: string; online: boolean }) => [
        device.name,
        device.platform,
        device.online,
      ]),
    ).toEqual([
      ['Laptop', 'linux', false],
      ['Phone', 'android', true],
    ]);
    expect(items[1].lastSeenAt).toEqual(expect.any(String));

    expect((await remove(`/devices/${laptop.id}`, auth)).status).toBe(204);
    expect(json(await get('/devices', auth)).items.map((device: { id: string }) => device.id)).toEqual([phone.id]);
  });

  it('refuses bad input in the envelope, anonymous callers, and other accounts’ devices (WS-02)', async () => {
    const auth = await signedIn();
    const bad = await postJson('/devices', { name: '', platform: 'beos' }, auth);
    expect(bad.status).toBe(400);
    expect(json(bad).error.code).toBe('VALIDATION_FAILED');

    const anonymous = json(await postJson('/auth/anonymous', {})).accessToken as string;
    const refused = await postJson('/devices', { name: 'x', platform: 'web' }, bearer(anonymous));
    expect(refused.status).toBe(403);
    expect((await get('/devices', {})).status).toBe(401);

    const mine = await registeredDevice(auth, 'Mine');
    const stranger = await signedIn();
    for (const response of [
      await request('POST', api(`/devices/${mine.id}/heartbeat`), { headers: stranger }),
      await remove(`/devices/${mine.id}`, stranger),
    ]) {
      expect(response.status).toBe(404);
      expect(json(response).error.code).toBe('NOT_FOUND');
    }
    expect(json(await get('/devices', stranger)).items).toEqual([]);
  });

  it('stops at the device limit with 409 DEVICE_LIMIT_REACHED', async () => {
    const auth = await signedIn();
    for (let index = 0; index < 20; index++) await registeredDevice(auth, `Device ${index}`);
    const refused = await postJson('/devices', { name: 'one too many', platform: 'web' }, auth);
    expect(refused.status).toBe(409);
    expect(json(refused).error.code).toBe('DEVICE_LIMIT_REACHED');
  });
});

describe('transfers', () => {
  it('offers, accepts and cancels along the state machine; a forbidden transition is 409', async () => {
    const auth = await signedIn();
    const laptop = await registeredDevice(auth, 'Laptop');
    const phone = await registeredDevice(auth, 'Phone');

    const created = await offer(auth, laptop.id, phone.id, [
      { name: 'résumé.pdf', size: 1000 },
      { name: 'b.bin', size: 24 },
    ]);
    expect(created.status).toBe(201);
    const { transfer } = json(created);
    expect(transfer).toMatchObject({
      fromDeviceId: laptop.id,
      toDeviceId: phone.id,
      status: 'pending',
      mode: 'relay',
      totalBytes: 1024,
      deliveredBytes: 0,
      failureCode: null,
      files: [
        { name: 'résumé.pdf', size: 1000, mimeType: 'application/octet-stream' },
        { name: 'b.bin', size: 24, mimeType: 'application/octet-stream' },
      ],
    });
    expect(Date.parse(transfer.expiresAt)).toBeGreaterThan(Date.now());

    const accepted = await request('POST', api(`/transfers/${transfer.id}/accept`), { headers: auth });
    expect(accepted.status).toBe(200);
    expect(json(accepted).transfer.status).toBe('accepted');

    const again = await request('POST', api(`/transfers/${transfer.id}/reject`), { headers: auth });
    expect(again.status).toBe(409);
    expect(json(again).error).toMatchObject({ code: 'TRANSFER_STATE_CONFLICT', details: { status: 'accepted' } });

    const cancelled = await request('POST', api(`/transfers/${transfer.id}/cancel`), { headers: auth });
    expect(json(cancelled).transfer.status).toBe('cancelled');
    expect(json(await get(`/transfers/${transfer.id}`, auth)).transfer.status).toBe('cancelled');
  });

  it('gives 20 concurrent accepts of one offer exactly one winner', async () => {
    const auth = await signedIn();
    const laptop = await registeredDevice(auth, 'Laptop');
    const phone = await registeredDevice(auth, 'Phone');
    const { transfer } = json(await offer(auth, laptop.id, phone.id));

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request('POST', api(`/transfers/${transfer.id}/accept`), { headers: auth })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array<number>(19).fill(409)]);
  });

  it('refuses offers between foreign or equal devices, and hides other accounts’ transfers', async () => {
    const auth = await signedIn();
    const laptop = await registeredDevice(auth, 'Laptop');
    const stranger = await signedIn();
    const theirs = await registeredDevice(stranger, 'Theirs');

    const foreign = await offer(auth, laptop.id, theirs.id);
    expect(foreign.status).toBe(404);
    const same = await offer(auth, laptop.id, laptop.id);
    expect(same.status).toBe(400);
    expect(json(same).error.code).toBe('VALIDATION_FAILED');
    const empty = await postJson(
      '/transfers',
      { fromDeviceId: laptop.id, toDeviceId: theirs.id, files: [], mode: 'relay' },
      auth,
    );
    expect(empty.status).toBe(400);

    const phone = await registeredDevice(auth, 'Phone');
    const { transfer } = json(await offer(auth, laptop.id, phone.id));
    expect((await get(`/transfers/${transfer.id}`, stranger)).status).toBe(404);
    expect((await request('POST', api(`/transfers/${transfer.id}/cancel`), { headers: stranger })).status).toBe(404);
    expect(json(await get('/transfers', stranger)).items).toEqual([]);
  });

  it('lists newest first in pages, and deleting a device cancels its open offers', async () => {
    const auth = await signedIn();
    const laptop = await registeredDevice(auth, 'Laptop');
    const phone = await registeredDevice(auth, 'Phone');
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push(json(await offer(auth, laptop.id, phone.id)).transfer.id);

    const first = json(await get('/transfers?limit=2', auth));
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    const second = json(await get(`/transfers?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, auth));
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();

    expect((await remove(`/devices/${phone.id}`, auth)).status).toBe(204);
    const after = json(await get('/transfers', auth)).items.map((item: { status: string }) => item.status);
    expect(after).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});
