import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { api, gatewayUrl, json, request } from './support/e2e.js';
import { bearer, loginAdmin, patchUser, postJson, register } from './support/accounts.js';
import { socketUrl, socketWithAuthFrame, socketWithToken, TestSocket } from './support/sockets.js';

// The devices' WebSocket (api.md § WebSocket, security-cases WS-01/WS-05), through the
// gateway's public port: the gateway checks the Origin and forwards, the relay authenticates.

async function accountWithDevices(...names: string[]) {
  const session = await register();
  const auth = bearer(session.accessToken);
  const devices: { id: string }[] = [];
  for (const name of names) {
    const response = await postJson('/devices', { name, platform: 'web' }, auth);
    expect(response.status).toBe(201);
    devices.push(json(response).device as { id: string });
  }
  return { session, token: session.accessToken, auth, devices };
}

/** Sockets opened by a test, closed after it. */
const open: TestSocket[] = [];
const track = (socket: TestSocket) => {
  open.push(socket);
  return socket;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

describe('/ws authentication (WS-01)', () => {
  it('is ready with the token in the subprotocol, and answers lexy.v1', async () => {
    const { token, devices } = await accountWithDevices('Laptop');
    const socket = track(socketWithToken(token, devices[0]!.id));
    expect(await socket.next('ready')).toEqual({ type: 'ready', deviceId: devices[0]!.id });
    expect(socket.ws.protocol).toBe('lexy.v1');
  });

  it('is ready after an auth frame on an upgrade without credentials', async () => {
    const { token, devices } = await accountWithDevices('Laptop');
    const socket = track(await socketWithAuthFrame(token, devices[0]!.id));
    expect(await socket.next('ready')).toEqual({ type: 'ready', deviceId: devices[0]!.id });
  });

  it('reads the auth frame of every socket, however soon after the 101 it comes', async () => {
    // A frame sent at once could reach the gateway before it let go of the handed socket, and be
    // lost there (relay-child.ts, stopReadingHere): about one socket in thirty waited out the deadline.
    const { token, devices } = await accountWithDevices('Laptop');
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const socket = track(await socketWithAuthFrame(token, devices[0]!.id));
      expect(await socket.next('ready')).toEqual({ type: 'ready', deviceId: devices[0]!.id });
      await socket.close();
    }
  });

  it('closes 4401 within about 5 s when no auth frame comes', async () => {
    const socket = track(new TestSocket(socketUrl()));
    await socket.opened;
    const started = Date.now();
    expect((await socket.closed).code).toBe(4401);
    expect(Date.now() - started).toBeGreaterThan(4_000);
    expect(Date.now() - started).toBeLessThan(7_000);
  });

  it('closes 4401 when the first frame is anything but auth', async () => {
    const socket = track(new TestSocket(socketUrl()));
    await socket.opened;
    socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(4401);
    expect(socket.has('pong')).toBe(false);
  });

  it('refuses a garbage token with 401 before any 101', async () => {
    const { devices } = await accountWithDevices('Laptop');
    const socket = track(socketWithToken('garbage.not.a-token', devices[0]!.id));
    let opened = false;
    void socket.opened.then(() => (opened = true));
    const refused = await socket.refused;
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toEqual(expect.any(String));
    expect(opened).toBe(false);
  });

  it('refuses another account’s device: 401 on the upgrade, 4401 after an auth frame', async () => {
    const mine = await accountWithDevices('Mine');
    const theirs = await accountWithDevices('Theirs');
    const upgrade = track(socketWithToken(mine.token, theirs.devices[0]!.id));
    expect((await upgrade.refused).status).toBe(401);

    const framed = track(await socketWithAuthFrame(mine.token, theirs.devices[0]!.id));
    expect((await framed.closed).code).toBe(4401);
  });

  it('refuses a disabled account with 403, and 4403 after an auth frame', async () => {
    const { session, token, devices } = await accountWithDevices('Laptop');
    const admin = await loginAdmin();
    expect((await patchUser(session.user.id, { disabled: true }, bearer(admin.accessToken))).status).toBe(200);

    const upgrade = track(socketWithToken(token, devices[0]!.id));
    const refused = await upgrade.refused;
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_DISABLED');
    const framed = track(await socketWithAuthFrame(token, devices[0]!.id));
    expect((await framed.closed).code).toBe(4403);
  });

  it('answers a foreign Origin with 403 FORBIDDEN; its own origin and no Origin pass', async () => {
    const { token, devices } = await accountWithDevices('Laptop');
    const evil = track(socketWithToken(token, devices[0]!.id, { origin: 'https://evil.example' }));
    const refused = await evil.refused;
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    const own = track(socketWithToken(token, devices[0]!.id, { origin: new URL(gatewayUrl()).origin }));
    expect((await own.next('ready')).deviceId).toBe(devices[0]!.id);
    // A native client sends no Origin: allowed, with its token.
    const native = track(socketWithToken(token, devices[0]!.id));
    expect((await native.next('ready')).deviceId).toBe(devices[0]!.id);
  });
});

describe('/ws frames (WS-05)', () => {
  it('answers ping with pong, and a bad frame with an error frame on a socket that stays open', async () => {
    const { token, devices } = await accountWithDevices('Laptop');
    const socket = track(socketWithToken(token, devices[0]!.id));
    await socket.next('ready');

    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });

    socket.send('{not json');
    expect(await socket.next('error')).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    socket.send({ type: 'launch.rockets' });
    expect((await socket.next('error')).code).toBe('VALIDATION_FAILED');

    socket.send({ type: 'ping' });
    expect(await socket.next('pong')).toEqual({ type: 'pong' });
  });

  it('closes 1009 on a 2 MiB text frame', async () => {
    const { token, devices } = await accountWithDevices('Laptop');
    const socket = track(socketWithToken(token, devices[0]!.id));
    await socket.next('ready');
    socket.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(2 * 1024 * 1024) }));
    expect((await socket.closed).code).toBe(1009);
  });
});

describe('/ws presence and events', () => {
  it('tells the other devices when one connects and disconnects; /devices shows it online meanwhile', async () => {
    const { token, auth, devices } = await accountWithDevices('Laptop', 'Phone');
    const [laptop, phone] = [devices[0]!.id, devices[1]!.id];
    const first = track(socketWithToken(token, laptop));
    await first.next('ready');

    const second = track(socketWithToken(token, phone));
    await second.next('ready');
    expect(await first.next('device.online')).toEqual({ type: 'device.online', deviceId: phone });
    const online = json(await request('GET', api('/devices'), { headers: auth })).items as {
      id: string;
      online: boolean;
    }[];
    expect(online.find((device) => device.id === phone)?.online).toBe(true);

    await second.close();
    expect(await first.next('device.offline')).toEqual({ type: 'device.offline', deviceId: phone });
    const offline = json(await request('GET', api('/devices'), { headers: auth })).items as {
      id: string;
      online: boolean;
    }[];
    expect(offline.find((device) => device.id === phone)?.online).toBe(false);
  });

  it('sends transfer.offered to the receiver, and transfer.accepted to both, in the REST shape', async () => {
    const { token, auth, devices } = await accountWithDevices('Laptop', 'Phone');
    const [laptop, phone] = [devices[0]!.id, devices[1]!.id];
    const sender = track(socketWithToken(token, laptop));
    const receiver = track(socketWithToken(token, phone));
    await Promise.all([sender.next('ready'), receiver.next('ready')]);

    const created = await postJson(
      '/transfers',
      { fromDeviceId: laptop, toDeviceId: phone, files: [{ name: 'a.txt', size: 3 }], mode: 'relay' },
      auth,
    );
    expect(created.status).toBe(201);
    const { transfer } = json(created);
    const offered = await receiver.next('transfer.offered');
    expect(offered.transfer).toEqual(transfer);

    const accepted = await request('POST', api(`/transfers/${transfer.id}/accept`), { headers: auth });
    expect(accepted.status).toBe(200);
    for (const socket of [sender, receiver]) {
      const event = await socket.next('transfer.accepted');
      expect(event.transfer).toEqual(json(accepted).transfer);
    }
    // The offer went to the receiving device only.
    expect(sender.has('transfer.offered')).toBe(false);
  });
});

/**
 * The kernel's TCP table (Linux /proc): the inode of the server's end of the connection whose
 * client end is on `clientPort`, and the inodes of the sockets a process holds.
 */
function serverSocketInode(serverPort: number, clientPort: number): string | undefined {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hex(serverPort)}`) && fields[2]?.endsWith(`:${hex(clientPort)}`)) return fields[9];
    }
  }
  return undefined;
}

function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

describe('/ws is handed to the relay (ADR 0011)', () => {
  it('leaves the device’s connection with the relay process the gateway runs, not with the gateway', async () => {
    const { token, devices } = await accountWithDevices('Laptop');
    const socket = track(socketWithToken(token, devices[0]!.id));
    await socket.next('ready');
    const clientPort = (socket.ws as unknown as { _socket: { localPort: number } })._socket.localPort;
    const inode = serverSocketInode(Number(new URL(gatewayUrl()).port), clientPort);
    expect(inode).toBeDefined();
    expect(socketInodesOf(Number(process.env['E2E_RELAY_PID'])).has(inode!)).toBe(true);
    expect(socketInodesOf(Number(process.env['E2E_GATEWAY_PID'])).has(inode!)).toBe(false);
  });
});
