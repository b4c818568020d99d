/**
 * Tables of migration 0005_authorization_settings: an App's HTTP authorization settings, the
 * OAuth 2.0 authorizations an administrator has started in the browser, and each
 * Workspace's outbound allow-list. Secret columns hold AES-256-GCM ciphertext
 * (authorization/secret-box.ts), never plain text.
 */

export interface AuthorizationSettingTable {
  workspace_id: string;
  app_id: string;
  name: string;
  /** `token`, `basic`, `header`, `oauth2`, `oauth2ClientCredentials`. */
  kind: string;
  /** JSON of the settings that are not secret (header name, user name, client id, URLs, scope). */
  config: string;
  /** Ciphertext of the JSON of the secrets (token, password, header value, client secret). */
  secret: string;
  /** Ciphertext of the current OAuth access token, null until there is one. */
  access_token: string | null;
  /** Ciphertext of the OAuth refresh token. */
  refresh_token: string | null;
  /** When the access token expires (ISO-8601 UTC); null: unknown or no token. */
  expires_at: string | null;
  /** Bumped on every write: a refresh commits only over the row it read. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AuthorizationGrantTable {
  /** The OAuth `state`: random, single use. */
  state: string;
  workspace_id: string;
  app_id: string;
  name: string;
  /** Ciphertext of the PKCE code verifier. */
  code_verifier: string;
  redirect_uri: string;
  expires_at: string;
  created_at: string;
}

export interface OutboundAllowTable {
  workspace_id: string;
  /** A CIDR range or a single address the administrator opened. */
  cidr: string;
  created_at: string;
}

export interface AuthorizationTables {
  authorization_setting: AuthorizationSettingTable;
  authorization_grant: AuthorizationGrantTable;
  outbound_allow: OutboundAllowTable;
}
