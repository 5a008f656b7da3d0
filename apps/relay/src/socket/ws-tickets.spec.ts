import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { DevicesRepository } from '../devices/devices.repository.js';
import { SocketTickets, WS_TICKET_TTL_SECONDS, type TicketStore } from './ws-tickets.js';

const DEVICE = { ownerId: 'user-1', deviceId: 'device-1', group: 'normal' };

/** Redis as the tickets use it: SET … EX and GETDEL, with the clock moved by hand. */
class FakeRedis {
  readonly values = new Map<string, { value: string; expiresAt: number }>();
  now = 0;
  failing = false;

  set = (async (key: string, value: string, _ex: 'EX', seconds: number) => {
    if (this.failing) throw new Error('connection refused');
    this.values.set(key, { value, expiresAt: this.now + seconds * 1000 });
    return 'OK';
  }) as unknown as TicketStore['set'];

  getdel = (async (key: string) => {
    if (this.failing) throw new Error('connection refused');
    const entry = this.values.get(key);
    this.values.delete(key);
    return entry && entry.expiresAt > this.now ? entry.value : null;
  }) as unknown as TicketStore['getdel'];
}

function setUp(deviceExists = true) {
  const redis = new FakeRedis();
  const devices = {
    findDevice: async (ownerId: string, deviceId: string) =>
      deviceExists && ownerId === DEVICE.ownerId && deviceId === DEVICE.deviceId ? { id: deviceId } : null,
  } as unknown as DevicesRepository;
  const tickets = new SocketTickets(redis, devices, { RELAY_REDIS_PREFIX: 'test:relay:' });
  return { redis, tickets };
}

const refusedWith = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
};

describe('SocketTickets', () => {
  it('issues a 60 s ticket that opens its device once', async () => {
    const { tickets } = setUp();
    const issued = await tickets.issue(DEVICE);
    expect(issued.expiresInSeconds).toBe(WS_TICKET_TTL_SECONDS);
    expect(issued.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await tickets.redeem(issued.ticket)).toEqual(DEVICE);
    expect(await refusedWith(tickets.redeem(issued.ticket))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('stores only a hash of the ticket, under the relay prefix', async () => {
    const { redis, tickets } = setUp();
    const { ticket } = await tickets.issue(DEVICE);
    const [key] = [...redis.values.keys()];
    expect(key).toMatch(/^test:relay:ws-ticket:[0-9a-f]{64}$/);
    expect(key).not.toContain(ticket);
  });

  it('refuses an expired or unknown ticket', async () => {
    const { redis, tickets } = setUp();
    const { ticket } = await tickets.issue(DEVICE);
    redis.now += WS_TICKET_TTL_SECONDS * 1000 + 1;
    expect(await refusedWith(tickets.redeem(ticket))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await refusedWith(tickets.redeem('made-up'))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('refuses a ticket whose device was deleted since', async () => {
    const { tickets } = setUp(false);
    const { ticket } = await tickets.issue(DEVICE);
    expect(await refusedWith(tickets.redeem(ticket))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('is SERVICE_UNAVAILABLE while Redis is down', async () => {
    const { redis, tickets } = setUp();
    const { ticket } = await tickets.issue(DEVICE);
    redis.failing = true;
    expect(await refusedWith(tickets.issue(DEVICE))).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(await refusedWith(tickets.redeem(ticket))).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });
});
