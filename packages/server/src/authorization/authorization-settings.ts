/**
 * An App's HTTP authorization settings: stored with their secrets sealed, turned into request
 * headers for connectors (`headersFor`), and for OAuth 2.0 kept fresh: an access token that
 * has expired or expires within `refreshMarginMs` is refreshed (authorization code: with the
 * refresh token, which is replaced when the provider rotates it; client credentials: a new
 * token). A refresh commits only over the row version it read, so two workers refreshing at
 * once keep one answer and the other uses it. No method returns or logs a secret.
 */
import type { Kysely } from 'kysely';
import type { OutboundFetch } from '../outbound/outbound-fetch.js';
import type { AuthorizationSettingTable } from '../store/schema/authorization.js';
import type { Database } from '../store/schema.js';
import { AuthorizationError } from './authorization-error.js';
import { pkcePair, randomToken, requestToken, type TokenSet } from './oauth-client.js';
import { createSecretBox, type SecretBox } from './secret-box.js';
import {
  type AuthorizationKind,
  checkSettingInput,
  type SettingConfig,
  type SettingSecrets,
} from './setting-input.js';

/** What connectors (and the script sandbox's `httpClient.authSetting`) use. */
export interface AuthorizationResolver {
  headersFor(
    workspaceId: string,
    appId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<Record<string, string>>;
}

export interface AuthorizationSettingView {
  readonly appId: string;
  readonly name: string;
  readonly kind: AuthorizationKind;
  readonly config: SettingConfig;
  /** OAuth 2.0: an access token is held. Other kinds: always true. */
  readonly connected: boolean;
  readonly expiresAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AuthorizationSettingsOptions {
  readonly db: Kysely<Database>;
  /** The value of NAGARE_SECRET_KEY; without it nothing secret is stored. */
  readonly secretKey: string | undefined;
  readonly fetch: OutboundFetch;
  readonly now?: () => number;
  /** Refresh a token that expires within this many ms (default 60 s). */
  readonly refreshMarginMs?: number;
  /** How long a started browser authorization stays valid (default 10 min). */
  readonly grantTtlMs?: number;
}

type Row = AuthorizationSettingTable;

export class AuthorizationSettings implements AuthorizationResolver {
  readonly #db: Kysely<Database>;
  readonly #box: SecretBox;
  readonly #fetch: OutboundFetch;
  readonly #now: () => number;
  readonly #margin: number;
  readonly #grantTtl: number;
  /** One refresh per setting at a time in this process. */
  readonly #refreshing = new Map<string, Promise<string>>();

  constructor(options: AuthorizationSettingsOptions) {
    this.#db = options.db;
    this.#box = createSecretBox(options.secretKey);
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    this.#margin = options.refreshMarginMs ?? 60_000;
    this.#grantTtl = options.grantTtlMs ?? 600_000;
  }

  /** Creates or replaces a setting; a replaced OAuth setting must be connected again. */
  async save(workspaceId: string, appId: string, input: unknown): Promise<AuthorizationSettingView> {
    const checked = checkSettingInput(input);
    const app = await this.#db
      .selectFrom('app')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', appId)
      .executeTakeFirst();
    if (!app) throw new AuthorizationError('BAD_INPUT', `no app ${appId} in workspace ${workspaceId}`);
    const secret = this.#box.seal(
      JSON.stringify(checked.secrets),
      context(workspaceId, appId, checked.name, 'secret'),
    );
    const at = new Date(this.#now()).toISOString();
    await this.#db.transaction().execute(async (tx) => {
      const old = await tx
        .deleteFrom('authorization_setting')
        .where('workspace_id', '=', workspaceId)
        .where('app_id', '=', appId)
        .where('name', '=', checked.name)
        .returning(['created_at', 'version'])
        .executeTakeFirst();
      await tx
        .insertInto('authorization_setting')
        .values({
          workspace_id: workspaceId,
          app_id: appId,
          name: checked.name,
          kind: checked.kind,
          config: JSON.stringify(checked.config),
          secret,
          access_token: null,
          refresh_token: null,
          expires_at: null,
          version: (old?.version ?? 0) + 1,
          created_at: old?.created_at ?? at,
          updated_at: at,
        })
        .execute();
    });
    return (await this.get(workspaceId, appId, checked.name))!;
  }

  async list(workspaceId: string, appId: string): Promise<AuthorizationSettingView[]> {
    const rows = await this.#db
      .selectFrom('authorization_setting')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('app_id', '=', appId)
      .orderBy('name')
      .execute();
    return rows.map(view);
  }

  async get(workspaceId: string, appId: string, name: string): Promise<AuthorizationSettingView | undefined> {
    const row = await this.#row(workspaceId, appId, name);
    return row && view(row);
  }

  async remove(workspaceId: string, appId: string, name: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('authorization_setting')
      .where('workspace_id', '=', workspaceId)
      .where('app_id', '=', appId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * Starts the browser authorization of an `oauth2` setting: the URL to send the
   * administrator to, with a single-use `state` and a PKCE S256 challenge.
   */
  async beginAuthorization(
    workspaceId: string,
    appId: string,
    name: string,
  ): Promise<{ url: string; state: string }> {
    const row = await this.#require(workspaceId, appId, name);
    if (row.kind !== 'oauth2') {
      throw new AuthorizationError('BAD_INPUT', `authorization setting "${name}" is ${row.kind}, not oauth2`);
    }
    const config = JSON.parse(row.config) as SettingConfig;
    const { verifier, challenge } = pkcePair();
    const state = randomToken(24);
    const now = this.#now();
    await this.#db
      .deleteFrom('authorization_grant')
      .where('expires_at', '<', new Date(now).toISOString())
      .execute();
    await this.#db
      .insertInto('authorization_grant')
      .values({
        state,
        workspace_id: workspaceId,
        app_id: appId,
        name,
        code_verifier: this.#box.seal(verifier, `grant/${state}`),
        redirect_uri: config.redirectUri!,
        expires_at: new Date(now + this.#grantTtl).toISOString(),
        created_at: new Date(now).toISOString(),
      })
      .execute();
    const url = new URL(config.authorizeUrl!);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', config.clientId!);
    url.searchParams.set('redirect_uri', config.redirectUri!);
    if (config.scope) url.searchParams.set('scope', config.scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return { url: url.toString(), state };
  }

  /** The callback: exchanges the code for tokens (once per `state`) and stores them sealed. */
  async completeAuthorization(callback: {
    readonly state?: string | undefined;
    readonly code?: string | undefined;
    readonly error?: string | undefined;
    readonly errorDescription?: string | undefined;
  }): Promise<AuthorizationSettingView> {
    const state = callback.state ?? '';
    if (state === '') throw new AuthorizationError('UNKNOWN_STATE', 'the callback has no state');
    const grant = await this.#db
      .deleteFrom('authorization_grant')
      .where('state', '=', state)
      .returningAll()
      .executeTakeFirst();
    if (!grant) throw new AuthorizationError('UNKNOWN_STATE', 'unknown or already used authorization state');
    if (Date.parse(grant.expires_at) < this.#now()) {
      throw new AuthorizationError('UNKNOWN_STATE', 'the authorization took too long; start it again');
    }
    if (callback.error) {
      throw new AuthorizationError(
        'OAUTH_FAILED',
        `the provider refused the authorization: ${callback.error}${callback.errorDescription ? `: ${callback.errorDescription}` : ''}`,
      );
    }
    if (!callback.code) throw new AuthorizationError('BAD_INPUT', 'the callback has no code');
    const row = await this.#require(grant.workspace_id, grant.app_id, grant.name);
    const verifier = this.#box.open(grant.code_verifier, `grant/${state}`);
    const token = await requestToken(
      this.#fetch,
      { workspaceId: row.workspace_id },
      this.#client(row),
      {
        grant_type: 'authorization_code',
        code: callback.code,
        redirect_uri: grant.redirect_uri,
        code_verifier: verifier,
      },
      this.#now(),
    );
    await this.#store(row, token, true);
    return (await this.get(row.workspace_id, row.app_id, row.name))!;
  }

  async headersFor(
    workspaceId: string,
    appId: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<Record<string, string>> {
    const row = await this.#require(workspaceId, appId, name);
    const config = JSON.parse(row.config) as SettingConfig;
    switch (row.kind as AuthorizationKind) {
      case 'token':
        return { authorization: `Bearer ${this.#secrets(row).token}` };
      case 'basic': {
        const pair = `${config.username}:${this.#secrets(row).password ?? ''}`;
        return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
      }
      case 'header':
        return { [config.headerName!]: this.#secrets(row).value ?? '' };
      default:
        return { authorization: `Bearer ${await this.accessToken(workspaceId, appId, name, signal, row)}` };
    }
  }

  /** A fresh OAuth access token of the setting (refreshed when needed). */
  async accessToken(
    workspaceId: string,
    appId: string,
    name: string,
    signal?: AbortSignal,
    known?: Row,
  ): Promise<string> {
    const row = known ?? (await this.#require(workspaceId, appId, name));
    if (row.kind !== 'oauth2' && row.kind !== 'oauth2ClientCredentials') {
      throw new AuthorizationError(
        'BAD_INPUT',
        `authorization setting "${name}" is ${row.kind}, not OAuth 2.0`,
      );
    }
    const held = this.#heldToken(row);
    if (held !== undefined) return held;
    const key = `${workspaceId}\n${appId}\n${name}`;
    let pending = this.#refreshing.get(key);
    if (!pending) {
      pending = this.#refresh(row, signal).finally(() => this.#refreshing.delete(key));
      this.#refreshing.set(key, pending);
    }
    return pending;
  }

  /** The stored access token when it is valid for more than the margin. */
  #heldToken(row: Row): string | undefined {
    if (row.access_token === null) return undefined;
    if (row.expires_at !== null && Date.parse(row.expires_at) - this.#now() <= this.#margin) return undefined;
    return this.#box.open(row.access_token, context(row.workspace_id, row.app_id, row.name, 'access'));
  }

  async #refresh(row: Row, signal: AbortSignal | undefined): Promise<string> {
    const ctx = { workspaceId: row.workspace_id };
    let token: TokenSet;
    if (row.kind === 'oauth2ClientCredentials') {
      const config = JSON.parse(row.config) as SettingConfig;
      token = await requestToken(
        this.#fetch,
        ctx,
        this.#client(row),
        { grant_type: 'client_credentials', ...(config.scope ? { scope: config.scope } : {}) },
        this.#now(),
        signal,
      );
    } else {
      if (row.refresh_token === null) {
        throw new AuthorizationError(
          'NOT_CONNECTED',
          row.access_token === null
            ? `authorization setting "${row.name}" is not connected yet: an administrator must connect it in the browser`
            : `the access token of authorization setting "${row.name}" has expired and there is no refresh token: connect it again`,
        );
      }
      const refreshToken = this.#box.open(
        row.refresh_token,
        context(row.workspace_id, row.app_id, row.name, 'refresh'),
      );
      try {
        token = await requestToken(
          this.#fetch,
          ctx,
          this.#client(row),
          { grant_type: 'refresh_token', refresh_token: refreshToken },
          this.#now(),
          signal,
        );
      } catch (error) {
        // Another node may have rotated the refresh token under us: use its result once it
        // has committed (its token answer can reach us before its write does).
        for (let wait = 0; wait < 5; wait++) {
          const now = await this.#row(row.workspace_id, row.app_id, row.name);
          const theirs = now && now.version !== row.version ? this.#heldToken(now) : undefined;
          if (theirs !== undefined) return theirs;
          if (!(error instanceof AuthorizationError) || error.retryable) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        if (error instanceof AuthorizationError && !error.retryable) {
          throw new AuthorizationError(
            'NOT_CONNECTED',
            `authorization setting "${row.name}": the refresh was refused (${error.message}); connect it again`,
          );
        }
        throw error;
      }
    }
    if (await this.#store(row, token, false)) return token.accessToken;
    const now = await this.#row(row.workspace_id, row.app_id, row.name);
    const theirs = now ? this.#heldToken(now) : undefined;
    return theirs ?? token.accessToken;
  }

  /** Writes tokens over the row version read; false when someone else wrote first. */
  async #store(row: Row, token: TokenSet, connecting: boolean): Promise<boolean> {
    const ctx = (field: string) => context(row.workspace_id, row.app_id, row.name, field);
    const refresh =
      token.refreshToken !== undefined
        ? this.#box.seal(token.refreshToken, ctx('refresh'))
        : connecting
          ? null
          : row.refresh_token; // kept when the provider does not rotate
    const result = await this.#db
      .updateTable('authorization_setting')
      .set({
        access_token: this.#box.seal(token.accessToken, ctx('access')),
        refresh_token: refresh,
        expires_at: token.expiresAt ?? null,
        version: row.version + 1,
        updated_at: new Date(this.#now()).toISOString(),
      })
      .where('workspace_id', '=', row.workspace_id)
      .where('app_id', '=', row.app_id)
      .where('name', '=', row.name)
      .where('version', '=', row.version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  #client(row: Row): { tokenUrl: string; clientId: string; clientSecret?: string } {
    const config = JSON.parse(row.config) as SettingConfig;
    const secret = this.#secrets(row).clientSecret;
    return {
      tokenUrl: config.tokenUrl!,
      clientId: config.clientId!,
      ...(secret ? { clientSecret: secret } : {}),
    };
  }

  #secrets(row: Row): SettingSecrets {
    return JSON.parse(this.#box.open(row.secret, context(row.workspace_id, row.app_id, row.name, 'secret')));
  }

  #row(workspaceId: string, appId: string, name: string): Promise<Row | undefined> {
    return this.#db
      .selectFrom('authorization_setting')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('app_id', '=', appId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async #require(workspaceId: string, appId: string, name: string): Promise<Row> {
    const row = await this.#row(workspaceId, appId, name);
    if (!row) {
      throw new AuthorizationError('UNKNOWN_SETTING', `app ${appId} has no authorization setting "${name}"`);
    }
    return row;
  }
}

function context(workspaceId: string, appId: string, name: string, field: string): string {
  return JSON.stringify([workspaceId, appId, name, field]);
}

function view(row: Row): AuthorizationSettingView {
  const oauth = row.kind === 'oauth2' || row.kind === 'oauth2ClientCredentials';
  return {
    appId: row.app_id,
    name: row.name,
    kind: row.kind as AuthorizationKind,
    config: JSON.parse(row.config) as SettingConfig,
    connected: row.kind === 'oauth2ClientCredentials' || !oauth || row.access_token !== null,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
