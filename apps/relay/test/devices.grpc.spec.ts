import { healthV1, relayV1, fromTimestamp } from '@lexy/contracts-grpc';
import { ErrorCode } from '@lexy/server-errors';
import type { RowDataPacket } from 'mysql2/promise';
import {
  expectDomainError,
  newGuest,
  newUser,
  serviceCaller,
  settle,
  startRelay,
  type RelayHarness,
} from './support/relay-harness.js';
import { registerDevice } from './support/relay-scenario.js';

const { DevicePlatform } = relayV1;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('devices over gRPC (MariaDB, Redis)', () => {
  let relay: RelayHarness;

  beforeAll(async () => {
    relay = await startRelay();
  });

  afterAll(async () => {
    await relay?.close();
  });

  async function deviceRows(ownerId: string) {
    const [rows] = await relay.db.query<RowDataPacket[]>(
      'SELECT * FROM devices WHERE owner_id = ? ORDER BY created_at, id',
      [ownerId],
    );
    return rows;
  }

  it('serves grpc.health.v1, SERVING while the database answers', async () => {
    expect(await relay.health.check({ service: '' })).toEqual({
      status: healthV1.HealthCheckResponse_ServingStatus.SERVING,
    });
  });

  it('registers, lists, beats and deletes a device, end to end', async () => {
    const user = newUser();
    const client = relay.as(user);
    const registered = await client.registerDevice({
      name: '  Work laptop ',
      platform: DevicePlatform.DEVICE_PLATFORM_MACOS,
    });
    expect(registered.created).toBe(true);
    const device = registered.device!;
    expect(device).toEqual(
      expect.objectContaining({ name: 'Work laptop', platform: DevicePlatform.DEVICE_PLATFORM_MACOS, online: false }),
    );
    expect(device.id).toMatch(UUID_V7);
    // An absent message field arrives as null over gRPC (the loader's defaults).
    expect(device.lastSeenAt).toBeNull();
    expect(Math.abs(fromTimestamp(device.createdAt)!.getTime() - Date.now())).toBeLessThan(60_000);

    const [row] = await deviceRows(user.ownerId);
    expect(row).toMatchObject({
      id: device.id,
      name: 'Work laptop',
      platform: 5,
      fingerprint: null,
      last_seen_at: null,
    });
    expect((await client.listDevices({})).items).toEqual([device]);

    const beat = await client.heartbeat({ deviceId: device.id });
    expect(beat.device).toEqual(expect.objectContaining({ id: device.id, online: true }));
    const lastSeenAt = fromTimestamp(beat.device!.lastSeenAt)!;
    expect(lastSeenAt.getTime()).toBeGreaterThanOrEqual(fromTimestamp(device.createdAt)!.getTime());
    const [beaten] = await deviceRows(user.ownerId);
    expect((beaten!['last_seen_at'] as Date).getTime()).toBe(lastSeenAt.getTime());
    expect((await client.listDevices({})).items).toEqual([beat.device]);

    const key = `${relay.config.RELAY_REDIS_PREFIX}presence:${device.id}`;
    const ttl = await relay.redis!.ttl(key);
    expect(ttl).toBeGreaterThan(80);
    expect(ttl).toBeLessThanOrEqual(90);

    expect(await client.deleteDevice({ deviceId: device.id })).toEqual({});
    expect((await client.listDevices({})).items).toEqual([]);
    expect(await deviceRows(user.ownerId)).toHaveLength(0);
    expect(await relay.redis!.exists(key)).toBe(0);
    await expectDomainError(client.deleteDevice({ deviceId: device.id }), ErrorCode.NOT_FOUND);
    await expectDomainError(client.heartbeat({ deviceId: device.id }), ErrorCode.NOT_FOUND);
  });

  it('lists devices oldest first, each with its own presence', async () => {
    const client = relay.as(newUser());
    const first = await registerDevice(client, { name: 'one' });
    const second = await registerDevice(client, { name: 'two' });
    const third = await registerDevice(client, { name: 'three' });
    await client.heartbeat({ deviceId: second.id });

    const { items } = await client.listDevices({});
    expect(items.map((device) => device.id)).toEqual([first.id, second.id, third.id]);
    expect(items.map((device) => device.online)).toEqual([false, true, false]);
  });

  it('returns the device already registered with a fingerprint, unchanged, with created=false', async () => {
    const user = newUser();
    const client = relay.as(user);
    const first = await client.registerDevice({
      name: 'Tablet',
      platform: DevicePlatform.DEVICE_PLATFORM_IOS,
      fingerprint: 'fp-123',
    });
    await client.heartbeat({ deviceId: first.device!.id });
    const again = await client.registerDevice({
      name: 'Another name',
      platform: DevicePlatform.DEVICE_PLATFORM_WEB,
      fingerprint: 'fp-123',
    });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.device).toEqual(
      expect.objectContaining({ id: first.device!.id, name: 'Tablet', platform: DevicePlatform.DEVICE_PLATFORM_IOS }),
    );
    expect(again.device!.online).toBe(true);

    // Fingerprints are compared exactly, and are per account.
    const otherCase = await client.registerDevice({ name: 'x', platform: 1, fingerprint: 'FP-123' });
    expect(otherCase.created).toBe(true);
    const otherAccount = await relay.as(newUser()).registerDevice({ name: 'x', platform: 1, fingerprint: 'fp-123' });
    expect(otherAccount.created).toBe(true);
    expect(otherAccount.device!.id).not.toBe(first.device!.id);
    expect(await deviceRows(user.ownerId)).toHaveLength(2);
  });

  it('creates one device of 10 concurrent registrations of the same fingerprint', async () => {
    const user = newUser();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        relay.as(user).registerDevice({ name: `race ${i}`, platform: 2, fingerprint: 'same-device' }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.device!.id)).size).toBe(1);
    expect(await deviceRows(user.ownerId)).toHaveLength(1);
  });

  describe('the device limit (RELAY_DEVICE_LIMIT = 20)', () => {
    it('lets exactly one of 10 concurrent registrations at 19 devices through', async () => {
      const user = newUser();
      const client = relay.as(user);
      for (let i = 0; i < 19; i++) await registerDevice(client, { name: `device ${i}` });

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => client.registerDevice({ name: `racer ${i}`, platform: 1 })),
      );
      const { fulfilled, errors } = settle(results);
      expect(fulfilled).toHaveLength(1);
      expect(fulfilled[0]!.created).toBe(true);
      expect(errors).toHaveLength(9);
      for (const error of errors) expect(error).toMatchObject({ code: ErrorCode.DEVICE_LIMIT_REACHED });
      expect(await deviceRows(user.ownerId)).toHaveLength(20);
      expect((await client.listDevices({})).items).toHaveLength(20);
    });

    it('lets exactly 20 of 30 concurrent first registrations of an account through', async () => {
      const user = newUser();
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => relay.as(user).registerDevice({ name: `new ${i}`, platform: 3 })),
      );
      const { fulfilled, errors } = settle(results);
      expect(fulfilled).toHaveLength(20);
      expect(errors).toHaveLength(10);
      for (const error of errors) expect(error).toMatchObject({ code: ErrorCode.DEVICE_LIMIT_REACHED });
      expect(await deviceRows(user.ownerId)).toHaveLength(20);
    });

    it('still returns a known fingerprint at the limit, and frees a place when a device is deleted', async () => {
      const client = relay.as(newUser());
      const known = await registerDevice(client, { name: 'known', fingerprint: 'known-fp' });
      for (let i = 1; i < 20; i++) await registerDevice(client, { name: `device ${i}` });

      const error = await expectDomainError(
        client.registerDevice({ name: 'one too many', platform: 1 }),
        ErrorCode.DEVICE_LIMIT_REACHED,
      );
      expect(error.details).toEqual({ limit: 20 });
      const again = await client.registerDevice({ name: 'known', platform: 1, fingerprint: 'known-fp' });
      expect(again).toMatchObject({ created: false, device: { id: known.id } });

      await client.deleteDevice({ deviceId: known.id });
      expect((await client.registerDevice({ name: 'replacement', platform: 1 })).created).toBe(true);
    });
  });

  it('answers NOT_FOUND for another account’s device, exactly as for one that does not exist', async () => {
    const owner = relay.as(newUser());
    const stranger = relay.as(newUser());
    const device = await registerDevice(owner);

    for (const deviceId of [device.id, device.id.toUpperCase(), '0190f4a2-0000-7000-8000-00000000000a', 'nope', '']) {
      const onDelete = await expectDomainError(stranger.deleteDevice({ deviceId }), ErrorCode.NOT_FOUND);
      const onBeat = await expectDomainError(stranger.heartbeat({ deviceId }), ErrorCode.NOT_FOUND);
      expect(onDelete.message).toBe('Device not found');
      expect(onBeat.message).toBe('Device not found');
    }
    expect((await stranger.listDevices({})).items).toEqual([]);
    // The stranger changed nothing.
    expect((await owner.listDevices({})).items).toEqual([device]);
  });

  it('accepts an upper-case device id as the same device', async () => {
    const client = relay.as(newUser());
    const device = await registerDevice(client);
    expect((await client.heartbeat({ deviceId: device.id.toUpperCase() })).device!.id).toBe(device.id);
  });

  it.each([
    ['an empty name', { name: '   ', platform: 1 }, 'name'],
    ['a name of 65 characters', { name: 'n'.repeat(65), platform: 1 }, 'name'],
    ['a control character in the name', { name: 'a\u0007b', platform: 1 }, 'name'],
    ['an unspecified platform', { name: 'ok', platform: DevicePlatform.DEVICE_PLATFORM_UNSPECIFIED }, 'platform'],
    ['an unknown platform', { name: 'ok', platform: 42 }, 'platform'],
    ['an empty fingerprint', { name: 'ok', platform: 1, fingerprint: '' }, 'fingerprint'],
    ['a fingerprint of 129 characters', { name: 'ok', platform: 1, fingerprint: 'f'.repeat(129) }, 'fingerprint'],
  ])('refuses to register a device with %s', async (_, request, field) => {
    const user = newUser();
    const error = await expectDomainError(relay.as(user).registerDevice(request), ErrorCode.VALIDATION_FAILED);
    expect(error.details).toEqual({ field });
    expect(await deviceRows(user.ownerId)).toHaveLength(0);
  });

  describe('who may call', () => {
    const everyCall = (client: ReturnType<RelayHarness['as']>) => [
      client.registerDevice({ name: 'x', platform: 1 }),
      client.listDevices({}),
      client.deleteDevice({ deviceId: '0190f4a2-0000-7000-8000-00000000000a' }),
      client.heartbeat({ deviceId: '0190f4a2-0000-7000-8000-00000000000a' }),
      client.createTransfer({ fromDeviceId: '', toDeviceId: '', files: [], mode: 0, fileIds: [] }),
      client.getTransfer({ transferId: '' }),
      client.listTransfers({ page: undefined }),
      client.changeTransferState({ transferId: '', action: 1 }),
    ];

    it('refuses every call of a guest (group anonymous) with RELAY_FORBIDDEN', async () => {
      const guest = newGuest();
      for (const call of everyCall(relay.as(guest))) await expectDomainError(call, ErrorCode.RELAY_FORBIDDEN);
      expect(await deviceRows(guest.ownerId)).toHaveLength(0);
    });

    it.each([
      ['an address identity', { ownerId: 'ip:203.0.113.7', group: 'normal', kind: 2 }],
      ['a fingerprint identity', { ownerId: 'fp:abc', group: 'normal', kind: 3 }],
      ['a platform service', serviceCaller('cleanup')],
    ])('refuses %s with RELAY_FORBIDDEN', async (_, caller) => {
      await expectDomainError(relay.as(caller).listDevices({}), ErrorCode.RELAY_FORBIDDEN);
      await expectDomainError(relay.as(caller).registerDevice({ name: 'x', platform: 1 }), ErrorCode.RELAY_FORBIDDEN);
    });

    it('is UNAUTHENTICATED without a caller token, or with one signed by another secret', async () => {
      await expectDomainError(relay.client.listDevices({}), ErrorCode.UNAUTHENTICATED);
      const forged = relay.as(newUser(), 'another-secret-that-is-long-enough-0123456789');
      await expectDomainError(forged.registerDevice({ name: 'x', platform: 1 }), ErrorCode.UNAUTHENTICATED);
    });
  });
});
