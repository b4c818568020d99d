/**
 * Secrets at rest: AES-256-GCM with the key from `NAGARE_SECRET_KEY` (32 bytes, base64 or
 * hex). Each ciphertext is bound to where it belongs (workspace, app, setting, field) as
 * additional authenticated data, so a ciphertext copied into another row does not decrypt.
 * Stored form: `v1.<base64url iv>.<base64url tag>.<base64url ciphertext>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AuthorizationError } from './authorization-error.js';

export const SECRET_KEY_ENV = 'NAGARE_SECRET_KEY';

export interface SecretBox {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** Reads a 32-byte key from base64 or hex; why not, in a message naming the variable. */
export function parseSecretKey(text: string | undefined): Buffer | string {
  const value = text?.trim() ?? '';
  if (value === '') {
    return `${SECRET_KEY_ENV} is not set: secrets (tokens, passwords, client secrets) cannot be stored without it. Set it to 32 random bytes in base64, e.g. the output of "openssl rand -base64 32"`;
  }
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    return `${SECRET_KEY_ENV} must be 32 bytes in base64 (44 characters) or hex (64 characters); it decodes to ${key.length} bytes`;
  }
  return key;
}

/**
 * A box over the key in `keyText`. Without a usable key every seal/open throws
 * `NO_SECRET_KEY`, so nothing secret is ever stored in the clear.
 */
export function createSecretBox(keyText: string | undefined): SecretBox {
  const key = parseSecretKey(keyText);
  const need = (): Buffer => {
    if (typeof key === 'string') throw new AuthorizationError('NO_SECRET_KEY', key);
    return key;
  };
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', need(), iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', iv, tag, data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) {
        throw new AuthorizationError('NO_SECRET_KEY', 'a stored secret is not in the expected form');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', need(), Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        if (error instanceof AuthorizationError) throw error;
        throw new AuthorizationError(
          'NO_SECRET_KEY',
          `a stored secret does not decrypt with ${SECRET_KEY_ENV}: the key changed, or the value was moved`,
        );
      }
    },
  };
}
