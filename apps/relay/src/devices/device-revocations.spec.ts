import { jest } from '@jest/globals';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import { closeSocketsOf, type RevocableSockets } from './device-revocations.js';

/** Sessions of one replica: each refused one stops being found, like a closing DeviceSocketSession. */
function replicaWith(sessions: { ownerId: string; deviceId: string }[]) {
  const open = sessions.map((device) => ({ device, refuse: jest.fn(), isOpen: true }));
  for (const session of open) {
    session.refuse.mockImplementation(() => {
      session.isOpen = false;
    });
  }
  const sockets: RevocableSockets = {
    sessionOf: (ownerId, deviceId) =>
      open.find((s) => s.isOpen && s.device.ownerId === ownerId && s.device.deviceId === deviceId) as
        DeviceSocketSession | undefined,
  };
  return { open, sockets };
}

describe('closeSocketsOf', () => {
  it('closes every socket of the device with 4401, and no other', () => {
    const { open, sockets } = replicaWith([
      { ownerId: 'a', deviceId: 'd1' },
      { ownerId: 'a', deviceId: 'd1' },
      { ownerId: 'a', deviceId: 'd2' },
      { ownerId: 'b', deviceId: 'd1' },
    ]);
    expect(closeSocketsOf(sockets, { ownerId: 'a', deviceId: 'd1' })).toBe(2);
    expect(open[0]!.refuse).toHaveBeenCalledWith(4401, expect.any(String));
    expect(open[1]!.refuse).toHaveBeenCalledWith(4401, expect.any(String));
    expect(open[2]!.refuse).not.toHaveBeenCalled();
    expect(open[3]!.refuse).not.toHaveBeenCalled();
  });

  it('does nothing for a device without sockets here', () => {
    const { sockets } = replicaWith([]);
    expect(closeSocketsOf(sockets, { ownerId: 'a', deviceId: 'd1' })).toBe(0);
  });
});
