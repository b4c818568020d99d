import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature: `sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>`. */
export const SIGNATURE_HEADER = 'nagare-signature';
export const EVENT_HEADER = 'nagare-event';
export const DELIVERY_HEADER = 'nagare-delivery';

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): does the header match the body? Constant-time. */
export function verify(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
