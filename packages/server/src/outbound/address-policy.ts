/**
 * Which addresses an outbound request may reach. Loopback, link-local, private, shared
 * (CGNAT), multicast and reserved ranges are refused unless the workspace's administrator
 * allowed a range that contains the address (tests allow 127.0.0.1 this way). The check runs
 * on the address the socket connects to, after DNS, so a name that resolves to 10.0.0.5 is
 * refused like the literal.
 */
import { BlockList, isIP } from 'node:net';

const REFUSED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata endpoints
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];

const REFUSED_V6: readonly [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8], // multicast
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
];

const refused = new BlockList();
for (const [net, prefix] of REFUSED_V4) refused.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of REFUSED_V6) refused.addSubnet(net, prefix, 'ipv6');

/**
 * The IPv4 address inside an IPv4-mapped (`::ffff:10.0.0.1`, `::ffff:a00:1`) or
 * IPv4-compatible (`::10.0.0.1`) IPv6 address, else the address as given. The kernel
 * connects such an address to the IPv4 host, so it is judged as that host.
 */
export function embeddedIpv4(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  if (groups === undefined) return address;
  const zeros = groups.slice(0, 5).every((g) => g === 0);
  const mapped = zeros && groups[5] === 0xffff;
  const compat = zeros && groups[5] === 0 && (groups[6] !== 0 || groups[7]! > 1);
  if (!mapped && !compat) return address;
  const hi = groups[6]!;
  const lo = groups[7]!;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part allowed). */
function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, -dotted[1]!.length)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

/** A parsed allow-list: CIDR ranges (or single addresses) an administrator opened. */
export class AllowList {
  readonly #list = new BlockList();
  readonly entries: readonly string[];

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const problem = addCidr(this.#list, entry);
      if (problem) throw new TypeError(problem);
    }
    this.entries = Object.freeze([...entries]);
  }

  has(address: string): boolean {
    const ip = embeddedIpv4(address);
    const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    return this.#list.check(ip, family) || (ip !== address && this.#list.check(address, 'ipv6'));
  }
}

/** Why `entry` is not a CIDR range or address, or undefined when it is one. */
export function cidrProblem(entry: string): string | undefined {
  return addCidr(new BlockList(), entry);
}

function addCidr(list: BlockList, entry: string): string | undefined {
  const [net = '', prefixText, extra] = entry.trim().split('/');
  const family = isIP(net);
  if (family === 0 || extra !== undefined) {
    return `outbound allow-list entry "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1/128)`;
  }
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || prefixText === '') {
    return `outbound allow-list entry "${entry}": the prefix must be 0..${max}`;
  }
  list.addSubnet(net, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return undefined;
}

/** true when `address` is in a refused range and no allow-list entry opens it. */
export function isRefusedAddress(address: string, allow?: AllowList): boolean {
  if (allow?.has(address)) return false;
  const ip = embeddedIpv4(address);
  const family = isIP(ip);
  if (family === 0) return true; // not an address at all
  return refused.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
