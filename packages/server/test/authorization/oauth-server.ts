/**
 * A small OAuth 2.0 provider for tests, on 127.0.0.1: /authorize (consents at once and
 * redirects back with a code), /token (authorization_code with PKCE S256 checked,
 * refresh_token with rotation — a used refresh token is refused — and client_credentials),
 * and /me, which accepts only a current access token.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthServer {
  readonly base: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seconds the next tokens live. */
  expiresIn: number;
  /** Whether refreshes return a new refresh token. */
  rotate: boolean;
  readonly grants: string[];
  /** Access tokens currently valid. */
  readonly valid: Set<string>;
  close(): Promise<void>;
}

export async function startOAuthServer(): Promise<OAuthServer> {
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const refreshTokens = new Set<string>();
  let n = 0;
  const state: Omit<OAuthServer, 'base' | 'close'> = {
    clientId: 'client-1',
    clientSecret: 'shh-client-secret',
    expiresIn: 3600,
    rotate: true,
    grants: [],
    valid: new Set(),
  };
  const issue = (withRefresh: boolean) => {
    n++;
    const access = `at-${n}`;
    state.valid.add(access);
    const body: Record<string, unknown> = {
      access_token: access,
      token_type: 'Bearer',
      expires_in: state.expiresIn,
    };
    if (withRefresh) {
      const refresh = `rt-${n}`;
      refreshTokens.add(refresh);
      body.refresh_token = refresh;
    }
    return body;
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        if (q.get('response_type') !== 'code' || q.get('client_id') !== state.clientId) return json(400, {});
        if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return json(400, {});
        const code = `code-${++n}`;
        codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')! });
        const back = new URL(q.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (url.pathname === '/me') {
        const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        return state.valid.has(token) ? json(200, { ok: true }) : json(401, { error: 'invalid_token' });
      }
      if (url.pathname !== '/token' || req.method !== 'POST') return json(404, {});
      const expected = `Basic ${Buffer.from(`${state.clientId}:${state.clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return json(401, { error: 'invalid_client' });
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return json(400, {});
      const form = new URLSearchParams(raw);
      const grant = form.get('grant_type') ?? '';
      state.grants.push(grant);
      if (grant === 'authorization_code') {
        const entry = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!entry) return json(400, { error: 'invalid_grant', error_description: 'unknown code' });
        if (entry.redirectUri !== form.get('redirect_uri')) return json(400, { error: 'invalid_grant' });
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) {
          return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
        return json(200, issue(true));
      }
      if (grant === 'refresh_token') {
        const token = form.get('refresh_token') ?? '';
        if (!refreshTokens.has(token))
          return json(400, { error: 'invalid_grant', error_description: 'used or unknown' });
        if (state.rotate) refreshTokens.delete(token);
        const body = issue(state.rotate);
        return json(200, body);
      }
      if (grant === 'client_credentials') return json(200, issue(false));
      return json(400, { error: 'unsupported_grant_type' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    base,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  });
}
