import { isIP } from 'node:net';

/** Fastify's `trustProxy` forms that this service accepts: off, a hop count, or the trusted proxies' addresses. */
export type TrustProxy = false | number | string[];

const OFF = new Set(['', 'false', 'off', 'no', '0']);
// proxy-addr's names for the usual private ranges.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

/**
 * Reads TRUST_PROXY: off (the default; X-Forwarded-For is ignored and a client is its socket address), a hop count
 * (`1` behind one ingress), or a comma-separated list of proxy addresses and CIDR ranges (`10.0.0.0/8,192.168.1.10`,
 * also `loopback`, `linklocal`, `uniquelocal`). `true` is refused: it would trust the header from any client.
 * Throws an Error whose message says what is wrong.
 */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim().toLowerCase();
  if (OFF.has(value)) return false;
  if (value === 'true' || value === 'yes' || value === 'on' || value === '*') {
    throw new Error(
      `TRUST_PROXY=${text.trim()} would trust X-Forwarded-For from any client; give the number of proxies in front of the service (e.g. 1) or their addresses/CIDR ranges`,
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new Error(`TRUST_PROXY=${value} hops is implausible; at most ${MAX_HOPS}`);
    return hops;
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const invalid = entries.filter((entry) => !isAddressOrRange(entry));
  if (invalid.length > 0) {
    throw new Error(
      `TRUST_PROXY: ${invalid.map((entry) => `"${entry}"`).join(', ')} is not an IP address or CIDR range (give off, a hop count, or a comma-separated list of addresses/CIDR ranges)`,
    );
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * The setting in the form Fastify takes. Fastify reads a bare number as "trust nothing" (a hop count cannot check
 * who connected), so a hop count becomes proxy-addr's function: the socket peer and the next hops-1 addresses in
 * X-Forwarded-For are proxies, the address before them is the client.
 */
export function fastifyTrustProxy(setting: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}
