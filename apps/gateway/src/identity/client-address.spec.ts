import { addressOwnerKey, ClientAddressResolver } from './client-address.js';

describe('ClientAddressResolver', () => {
  const direct = new ClientAddressResolver([]);
  const behindProxy = new ClientAddressResolver(['10.0.0.0/8', '::1']);

  it('ignores forwarded headers from a client that is not a trusted proxy (PC-03)', () => {
    expect(direct.resolve('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
    expect(behindProxy.resolve('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('takes the address the trusted proxy appended, not values the client prepended', () => {
    expect(behindProxy.resolve('10.1.2.3', '1.2.3.4, 198.51.100.7')).toBe('198.51.100.7');
    expect(behindProxy.resolve('10.1.2.3', ['1.2.3.4', '198.51.100.7, 10.9.9.9'])).toBe('198.51.100.7');
    expect(behindProxy.resolve('::1', '198.51.100.7')).toBe('198.51.100.7');
  });

  it('falls back to the socket address on malformed or missing hops', () => {
    expect(behindProxy.resolve('10.1.2.3', 'not-an-ip')).toBe('10.1.2.3');
    expect(behindProxy.resolve('10.1.2.3', undefined)).toBe('10.1.2.3');
    expect(behindProxy.resolve('::ffff:10.1.2.3', '198.51.100.7')).toBe('198.51.100.7');
  });
});

describe('addressOwnerKey', () => {
  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(addressOwnerKey('203.0.113.9')).toBe('ip:203.0.113.9');
    expect(addressOwnerKey('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
    expect(addressOwnerKey('2001:db8:1:2::1')).toBe('ip6:2001:0db8:0001:0002::/64');
    expect(addressOwnerKey('2001:db8:1:2:ffff:eeee:dddd:cccc')).toBe(addressOwnerKey('2001:db8:1:2::99'));
  });
});
