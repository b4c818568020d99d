import { IdentityError } from './identity-error.js';

/** Checks the store makes whatever the caller (API, CLI, seed) is: each names the field and value. */

export function checkTimeZone(value: string, field: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    throw new IdentityError('invalid', `${field} "${value}" is not an IANA time zone (e.g. Asia/Tokyo)`);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: string, field: string): string {
  const email = value.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new IdentityError('invalid', `${field} "${value}" is not an e-mail address`);
  return email;
}

export function checkName(value: string, field: string): string {
  const name = value.trim();
  if (name === '') throw new IdentityError('invalid', `${field} must not be blank`);
  return name;
}

export const MIN_PASSWORD_LENGTH = 8;

export function checkPassword(value: string, field: string): string {
  if (value.length < MIN_PASSWORD_LENGTH) {
    throw new IdentityError('invalid', `${field} must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return value;
}
