import { parseTrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it.each(['', 'false', 'off', '0', ' OFF '])('reads %p as off: X-Forwarded-For is ignored', (text) => {
    expect(parseTrustProxy(text)).toBe(false);
  });

  it('reads a hop count (one ingress in front of the pods)', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
  });

  it('reads a list of proxy addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.10,fd00::/8, ::1, loopback')).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8', '::1', 'loopback']);
  });

  it.each(['true', 'yes', '*'])('refuses %p, which would trust the header from any client', (text) => {
    expect(() => parseTrustProxy(text)).toThrow(/would trust X-Forwarded-For from any client/);
  });

  it.each(['10.0.0.0/33', '10.0.0', 'ingress.local', '10.0.0.0/8/1', '::1/129', '1.5'])('refuses %p naming it', (text) => {
    expect(() => parseTrustProxy(text)).toThrow(`"${text}" is not an IP address or CIDR range`);
  });

  it('refuses an implausible hop count', () => {
    expect(() => parseTrustProxy('500')).toThrow(/at most 10/);
  });
});
