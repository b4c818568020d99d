import { randomBytes } from 'node:crypto';

/**
 * The runtime's only source of time (graphile-worker's useNodeTime): every `now` bound into
 * SQL and passed to `decide` comes from here, never from SQL `now()`, so tests drive time.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number | string) {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): number {
    return this.#now;
  }
  set(at: number | string): void {
    this.#now = typeof at === 'number' ? at : Date.parse(at);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

let lastMs = 0;
let counter = 0;
// Random bytes drawn 4 KiB at a time: one randomBytes call per id cost 5% of S1 durable.
let pool = Buffer.alloc(0);
let poolAt = 0;

function random6(): string {
  if (poolAt + 6 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += 6;
  return pool.toString('hex', poolAt - 6, poolAt);
}

/**
 * Time-ordered ids (like UUIDv7 / ULID: 12 hex of milliseconds, 4 of a counter, 12 random),
 * so new issues land at the end of the primary-key index instead of all over it.
 */
export function newId(now: number = Date.now()): string {
  if (now === lastMs) counter = (counter + 1) & 0xffff;
  else {
    lastMs = now;
    counter = Number.parseInt(random6().slice(0, 4), 16) & 0x7fff;
  }
  return `${now.toString(16).padStart(12, '0')}${counter.toString(16).padStart(4, '0')}${random6()}`;
}
