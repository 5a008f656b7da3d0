import { fromTimestamp } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { expectDomainError, freePort, newUser, startRelay, type RelayHarness } from './support/relay-harness.js';
import { registerDevice } from './support/relay-scenario.js';

describe('presence with a short TTL (RELAY_PRESENCE_TTL_SECONDS = 1)', () => {
  let relay: RelayHarness;

  beforeAll(async () => {
    relay = await startRelay({ RELAY_PRESENCE_TTL_SECONDS: '1' });
  });

  afterAll(async () => {
    await relay?.close();
  });

  it('keeps a device online for the TTL after a heartbeat, then offline until the next one', async () => {
    const client = relay.as(newUser());
    const device = await registerDevice(client);
    const key = `${relay.config.RELAY_REDIS_PREFIX}presence:${device.id}`;

    await client.heartbeat({ deviceId: device.id });
    expect((await client.listDevices({})).items[0]!.online).toBe(true);
    expect(await relay.redis!.pttl(key)).toBeGreaterThan(0);
    expect(await relay.redis!.pttl(key)).toBeLessThanOrEqual(1_000);

    await sleep(1_300);
    const [offline] = (await client.listDevices({})).items;
    expect(offline!.online).toBe(false);
    // The record of the heartbeat stays.
    expect(fromTimestamp(offline!.lastSeenAt)).toBeInstanceOf(Date);

    await client.heartbeat({ deviceId: device.id });
    expect((await client.listDevices({})).items[0]!.online).toBe(true);
  });

  it('extends the TTL with each heartbeat', async () => {
    const client = relay.as(newUser());
    const device = await registerDevice(client);
    await client.heartbeat({ deviceId: device.id });
    await sleep(700);
    await client.heartbeat({ deviceId: device.id });
    await sleep(700);
    expect((await client.listDevices({})).items[0]!.online).toBe(true);
  });
});

describe('presence while Redis is unreachable', () => {
  let relay: RelayHarness;

  beforeAll(async () => {
    // Nothing listens on a port that was free a moment ago.
    relay = await startRelay({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });

  afterAll(async () => {
    await relay?.close();
  });

  it('still lists devices, every one offline', async () => {
    const client = relay.as(newUser());
    const first = await registerDevice(client, { name: 'one' });
    const second = await registerDevice(client, { name: 'two' });
    const { items } = await client.listDevices({});
    expect(items.map((device) => [device.id, device.online])).toEqual([
      [first.id, false],
      [second.id, false],
    ]);
  });

  it('fails a heartbeat with SERVICE_UNAVAILABLE, after recording last_seen_at', async () => {
    const client = relay.as(newUser());
    const device = await registerDevice(client);
    await expectDomainError(client.heartbeat({ deviceId: device.id }), ErrorCode.SERVICE_UNAVAILABLE);
    const [rows] = await relay.db.query<RowDataPacket[]>('SELECT last_seen_at FROM devices WHERE id = ?', [device.id]);
    expect(rows[0]!['last_seen_at']).toBeInstanceOf(Date);
  });

  it('still deletes a device and re-registers a fingerprint', async () => {
    const client = relay.as(newUser());
    const device = await registerDevice(client, { fingerprint: 'fp' });
    expect(await client.registerDevice({ name: 'again', platform: 1, fingerprint: 'fp' })).toMatchObject({
      created: false,
      device: { id: device.id, online: false },
    });
    await client.deleteDevice({ deviceId: device.id });
    expect((await client.listDevices({})).items).toEqual([]);
  });
});
