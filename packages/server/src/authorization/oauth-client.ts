/**
 * The OAuth 2.0 token endpoint, as a client (RFC 6749, PKCE RFC 7636): code exchange, refresh
 * and client credentials. Requests go through the outbound fetch like every other call.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { OutboundContext, OutboundFetch } from '../outbound/outbound-fetch.js';
import { AuthorizationError } from './authorization-error.js';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** ISO-8601 UTC; absent when the endpoint gave no `expires_in`. */
  readonly expiresAt?: string;
}

export interface OAuthClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomToken(32);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function requestToken(
  fetch: OutboundFetch,
  context: OutboundContext,
  client: OAuthClient,
  params: Readonly<Record<string, string>>,
  now: number,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.clientSecret) {
    // RFC 6749 2.3.1: both parts form-urlencoded before base64
    const id = encodeURIComponent(client.clientId);
    const secret = encodeURIComponent(client.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  } else body.set('client_id', client.clientId);
  let response: Response;
  let text: string;
  try {
    response = await fetch(
      client.tokenUrl,
      { method: 'POST', headers, body, ...(signal ? { signal } : {}) },
      context,
    );
    text = await response.text();
  } catch (error) {
    throw new AuthorizationError(
      'OAUTH_FAILED',
      `token endpoint ${new URL(client.tokenUrl).origin}: ${(error as Error).message}`,
      true,
    );
  }
  let json: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    // handled below: no access_token
  }
  if (!response.ok) {
    const reason = [json.error, json.error_description].filter((v) => typeof v === 'string').join(': ');
    throw new AuthorizationError(
      'OAUTH_FAILED',
      `token endpoint answered ${response.status}${reason ? ` (${reason})` : ''}`,
      response.status >= 500 || response.status === 429,
    );
  }
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AuthorizationError('OAUTH_FAILED', 'token endpoint answered without an access_token');
  }
  const tokenType = json.token_type;
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new AuthorizationError(
      'OAUTH_FAILED',
      `token endpoint gave a "${tokenType}" token; only Bearer is used`,
    );
  }
  const expiresIn = Number(json.expires_in);
  return {
    accessToken,
    ...(typeof json.refresh_token === 'string' && json.refresh_token !== ''
      ? { refreshToken: json.refresh_token }
      : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: new Date(now + expiresIn * 1000).toISOString() }
      : {}),
  };
}
