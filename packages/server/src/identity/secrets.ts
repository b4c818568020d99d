import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Secrets never stored or compared in the clear. Passwords (chosen by people, guessable) get
 * argon2id; server-made random values (session ids, OAuth codes, tokens, client secrets:
 * 256 bits) get SHA-256, which is enough for a value no one can guess and cheap per request.
 */

/** A 256-bit random value, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a random secret, base64url: the form it is stored and looked up in. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Constant-time comparison of two strings (CSRF tokens, hashes). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 0.1 s on an idle
 * core, so sign-in stays cheap for us and costly for a guesser. The parameters are stored in
 * each hash, so raising them later still verifies old hashes.
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a malformed hash (never throws on bad input). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
