import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it("holds helmet's headers for the options: nosniff, frame denial, no referrer; HSTS only when asked", () => {
    const headers = securityHeaders({ contentSecurityPolicy: false, hsts: false, frameguard: { action: 'deny' } });
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    expect(headers['Strict-Transport-Security']).toBeUndefined();
    const strict = securityHeaders({ contentSecurityPolicy: false, hsts: { maxAge: 31_536_000, includeSubDomains: true } });
    expect(strict['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('refuses options with a content security policy, which may differ per request', () => {
    expect(() => securityHeaders({})).toThrow(/content security policy/);
  });
});
