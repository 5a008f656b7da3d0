import { api, download, json, patternStream, query, request, sha256Of, uploadMultipart } from './support/e2e.js';
import { bearer, postJson, register } from './support/accounts.js';
import { socketWithToken, type TestSocket } from './support/sockets.js';

// Store-and-forward (api.md § Transfers, design.md § relay): an offer to an own device that is
// offline names files the sender already uploaded; the device hears of it when its socket
// becomes ready, and so of a relay offer made while it was away.
type Headers = Record<string, string>;

const get = (path: string, headers: Headers) => request('GET', api(path), { headers });

async function accountWithDevices(...names: string[]) {
  const session = await register();
  const auth = bearer(session.accessToken);
  const devices: { id: string }[] = [];
  for (const name of names) {
    const response = await postJson('/devices', { name, platform: 'linux' }, auth);
    expect(response.status).toBe(201);
    devices.push(json(response).device as { id: string });
  }
  return { token: session.accessToken, auth, owner: session.user.id, devices };
}

async function upload(auth: Headers, size: number, seed: string, filename = 'notes.pdf') {
  const uploaded = await uploadMultipart(patternStream(size, seed), {
    filename,
    mimeType: 'application/pdf',
    headers: auth,
  });
  expect(uploaded.status).toBe(201);
  return json(uploaded).file as { id: string; name: string; size: number; sha256: string; expiresAt: string | null };
}

const onlineOf = async (auth: Headers, deviceId: string) =>
  (json(await get('/devices', auth)).items as { id: string; online: boolean }[]).find((d) => d.id === deviceId)?.online;

const transfersOf = (owner: string) =>
  query<{ id: string; mode: string; status: string }>(
    'relay',
    'SELECT id, mode, status FROM transfers WHERE owner_id = ?',
    [owner],
  );

/** Sockets opened by a test, closed after it. */
const open: TestSocket[] = [];
const connect = (token: string, deviceId: string) => {
  const socket = socketWithToken(token, deviceId);
  open.push(socket);
  return socket;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

describe('stored transfers', () => {
  it('offers an uploaded file to an offline device, which hears of it on connecting, accepts and downloads it', async () => {
    const { token, auth, devices } = await accountWithDevices('Laptop', 'Phone');
    const [laptop, phone] = devices as [{ id: string }, { id: string }];
    const size = 300_000;
    const file = await upload(auth, size, 'stored');
    const expected = await sha256Of(patternStream(size, 'stored'));
    expect(file.sha256).toBe(expected);

    // The client's decision: the phone is offline, so the bytes go the stored way.
    expect(await onlineOf(auth, phone.id)).toBe(false);
    const offered = await postJson(
      '/transfers',
      { fromDeviceId: laptop.id, toDeviceId: phone.id, mode: 'stored', fileIds: [file.id] },
      auth,
    );
    expect(offered.status).toBe(201);
    const { transfer } = json(offered);
    expect(transfer).toMatchObject({
      fromDeviceId: laptop.id,
      toDeviceId: phone.id,
      mode: 'stored',
      status: 'pending',
      // What the files service holds, not anything the client declared.
      files: [{ name: file.name, size, mimeType: 'application/pdf', fileId: file.id }],
      totalBytes: size,
    });
    // It waits for the file, not for the relay's offer TTL.
    if (file.expiresAt) expect(transfer.expiresAt).toBe(new Date(file.expiresAt).toISOString());
    expect(Date.parse(transfer.expiresAt) - Date.parse(transfer.createdAt)).toBeGreaterThan(3_600_000);

    const socket = connect(token, phone.id);
    await socket.next('ready');
    const announced = await socket.next('transfer.offered', (event) => event.transfer.id === transfer.id);
    expect(announced.transfer).toMatchObject({ mode: 'stored', status: 'pending', files: [{ fileId: file.id }] });

    const accepted = await request('POST', api(`/transfers/${transfer.id}/accept`), { headers: auth });
    expect(accepted.status).toBe(200);
    expect(json(accepted).transfer.status).toBe('completed');
    const completed = await socket.next('transfer.completed', (event) => event.transfer.id === transfer.id);
    expect(completed.transfer.status).toBe('completed');
    expect(json(await get(`/transfers/${transfer.id}`, auth)).transfer.status).toBe('completed');

    // The receiving device downloads the file as the account's owner, by the id in the transfer.
    const fileId = completed.transfer.files[0].fileId as string;
    const fetched = await download(api(`/files/${fileId}/download`), auth);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes).toBe(size);
    expect(fetched.sha256).toBe(expected);

    // Over: it can be answered no more.
    const again = await request('POST', api(`/transfers/${transfer.id}/reject`), { headers: auth });
    expect(again.status).toBe(409);
    expect(json(again).error.code).toBe('TRANSFER_STATE_CONFLICT');
  });

  it('refuses another account’s file and an unknown one with 404, leaving no transfer', async () => {
    const mine = await accountWithDevices('Laptop', 'Phone');
    const theirs = await accountWithDevices('Tablet');
    const foreign = await upload(theirs.auth, 1_000, 'foreign');
    const [laptop, phone] = mine.devices as [{ id: string }, { id: string }];

    for (const fileId of [foreign.id, '0190f4a2-0000-7000-8000-0000000000ff', 'not-an-id']) {
      const refused = await postJson(
        '/transfers',
        { fromDeviceId: laptop.id, toDeviceId: phone.id, mode: 'stored', fileIds: [fileId] },
        mine.auth,
      );
      expect(refused.status).toBe(404);
      expect(json(refused).error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'fileIds', index: 0 } });
    }
    expect(await transfersOf(mine.owner)).toEqual([]);
    expect(json(await get('/transfers', mine.auth)).items).toEqual([]);
  });

  it('refuses a stored offer without file ids, and file ids on a relay offer, in the envelope', async () => {
    const { auth, owner, devices } = await accountWithDevices('Laptop', 'Phone');
    const [laptop, phone] = devices as [{ id: string }, { id: string }];
    const file = await upload(auth, 10, 'ids');

    const noIds = await postJson('/transfers', { fromDeviceId: laptop.id, toDeviceId: phone.id, mode: 'stored' }, auth);
    expect(noIds.status).toBe(400);
    expect(json(noIds).error.code).toBe('VALIDATION_FAILED');

    const relayWithIds = await postJson(
      '/transfers',
      {
        fromDeviceId: laptop.id,
        toDeviceId: phone.id,
        mode: 'relay',
        files: [{ name: 'a', size: 1 }],
        fileIds: [file.id],
      },
      auth,
    );
    expect(relayWithIds.status).toBe(400);
    expect(json(relayWithIds).error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'fileIds' } });
    expect(await transfersOf(owner)).toEqual([]);
  });
});

describe('pending offers when a device comes online', () => {
  it('announces a relay offer made while the receiver was offline, and nothing already answered', async () => {
    const { token, auth, devices } = await accountWithDevices('Laptop', 'Phone');
    const [laptop, phone] = devices as [{ id: string }, { id: string }];
    const relayOffer = (name: string) =>
      postJson(
        '/transfers',
        { fromDeviceId: laptop.id, toDeviceId: phone.id, mode: 'relay', files: [{ name, size: 3 }] },
        auth,
      );

    const answered = json(await relayOffer('answered.txt')).transfer as { id: string };
    expect((await request('POST', api(`/transfers/${answered.id}/reject`), { headers: auth })).status).toBe(200);
    const waiting = json(await relayOffer('waiting.txt')).transfer as { id: string };
    // An offer the other way round is the phone's own, not one waiting for it.
    const outgoing = await postJson(
      '/transfers',
      { fromDeviceId: phone.id, toDeviceId: laptop.id, mode: 'relay', files: [{ name: 'out.txt', size: 3 }] },
      auth,
    );
    expect(outgoing.status).toBe(201);

    const socket = connect(token, phone.id);
    await socket.next('ready');
    const announced = await socket.next('transfer.offered');
    expect(announced.transfer).toMatchObject({ id: waiting.id, mode: 'relay', status: 'pending' });
    expect(announced.transfer.files).toEqual([
      { name: 'waiting.txt', size: 3, mimeType: 'application/octet-stream', fileId: null },
    ]);
    // Only that one: the relay sends every waiting offer at once, so a pong to a ping sent after
    // the first arrives after all of them.
    socket.send({ type: 'ping' });
    await socket.next('pong');
    expect(socket.has('transfer.offered')).toBe(false);
  });
});
