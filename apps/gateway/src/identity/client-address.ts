import { BlockList, isIP } from 'node:net';

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one IPv4 client has one key however it connected. */
function unmapIpv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.padStart(4, '0').toLowerCase());
}

/**
 * The identity key of a caller without a token: its IPv4 address, or its IPv6 /64
 * (one subscriber usually holds a whole /64, so single addresses would be free to rotate).
 */
export function addressOwnerKey(address: string): string {
  const ip = unmapIpv4(address);
  if (isIP(ip) === 6) return `ip6:${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
  return `ip:${ip}`;
}

/**
 * Finds the client's address. Forwarded headers are believed only when the connection
 * comes from a configured proxy, and then only the hops that proxies appended: walking
 * X-Forwarded-For from the right, the first address that is not a trusted proxy is the
 * client, so values a client prepends itself are ignored (PC-03).
 */
export class ClientAddressResolver {
  private readonly trusted = new BlockList();

  constructor(trustedProxies: string[]) {
    for (const entry of trustedProxies) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.trusted.addAddress(address, family);
      else this.trusted.addSubnet(address, Number(prefix), family);
    }
  }

  private isTrusted(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  resolve(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const peer = unmapIpv4(socketAddress ?? '0.0.0.0');
    if (!this.isTrusted(peer) || forwardedFor === undefined) return peer;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((hop) => unmapIpv4(hop.trim()));
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      const hop = hops[index] ?? '';
      if (isIP(hop) === 0) return peer; // a malformed hop: trust nothing left of it
      if (!this.isTrusted(hop)) return hop;
    }
    return peer;
  }
}
