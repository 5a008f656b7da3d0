import { loginAdmin } from '../../gateway-e2e/test/support/accounts.js';
import { acceptedTransfer, MiB, receiveInto, streamPattern } from '../../gateway-e2e/test/support/relay.js';
import type { TestSocket } from '../../gateway-e2e/test/support/sockets.js';
import { gained, perGateway, perRelay, sum } from './support/cluster.js';

// Devices' WebSockets through the proxy: each upgrade goes to the next gateway, and each
// gateway pipes `/ws` to its own relay, so the two devices of a transfer sit on different relay
// replicas, which find each other through Redis and move the bytes over their peer port (ADR 0008).

const open: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

describe('a relay transfer across the cluster', () => {
  it('relays files between two devices on different gateways and relays, replica to replica, to equal SHA-256s', async () => {
    // An admin's group is unlimited: the speed limit does not stretch the test.
    const session = await loginAdmin();
    const sizes = [8 * MiB, 3 * MiB + 5];
    const peerBytes = () => perRelay('lexy_relay_relayed_bytes_total', { receiver: 'peer' });
    const before = await peerBytes();
    const { sender, receiver, transferId, shown, total } = await acceptedTransfer(sizes, { open, session });
    // One socket on each gateway, so one on each relay.
    expect(await perGateway('lexy_gateway_websocket_connections')).toEqual([1, 1]);
    expect(await perRelay('lexy_relay_connected_sockets')).toEqual([1, 1]);

    const received = receiveInto(receiver, transferId, sizes);
    const sha256 = await streamPattern(sender, transferId, sizes);
    sender.send({ type: 'transfer.sent', transferId, sha256 });
    await receiver.next('transfer.sent', () => true, 60_000);
    expect(received.bytes).toBe(total);
    expect(received.prefixesMatch).toBe(true);
    expect(received.hashes.digests()).toEqual(sha256);
    receiver.send({ type: 'transfer.received', transferId, ok: true });
    await Promise.all([sender.next('transfer.completed'), receiver.next('transfer.completed')]);
    expect(await shown()).toMatchObject({ status: 'completed', deliveredBytes: total });

    // Every byte left the sender's relay for the other replica, none for a local receiver.
    const relayed = gained(before, await peerBytes());
    expect(sum(relayed)).toBe(total);
    expect(relayed.filter((bytes) => bytes > 0)).toHaveLength(1);
  });
});
