import { parseScannedPickup } from './scanned-pickup';

describe('parseScannedPickup', () => {
  it('reads the code and token of a share link', () => {
    expect(parseScannedPickup('https://files.example.org/p/ABC123?t=tok-1')).toEqual({
      code: 'ABC123',
      token: 'tok-1',
    });
    expect(parseScannedPickup(' http://192.168.1.20:8080/p/abc-l2o ')).toEqual({ code: 'ABC120', token: null });
  });

  it('reads a bare code as forgivingly as a typed one', () => {
    expect(parseScannedPickup('abc 123')).toEqual({ code: 'ABC123', token: null });
    expect(parseScannedPickup('7K3M9Q\n')).toEqual({ code: '7K3M9Q', token: null });
  });

  it('refuses what is not a pickup', () => {
    expect(parseScannedPickup('https://example.org/about')).toBeNull();
    expect(parseScannedPickup('https://files.example.org/p/TOOLONG1')).toBeNull();
    expect(parseScannedPickup('WIFI:S:home;T:WPA;P:secret;;')).toBeNull();
    expect(parseScannedPickup('')).toBeNull();
  });
});
