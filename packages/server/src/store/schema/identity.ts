/** The identity tables (migration 0004_identity; docs/auth.md). Timestamps are ISO-8601 UTC text. */

export interface WorkspaceUserTable {
  workspace_id: string;
  id: string;
  name: string;
  /** Lower-cased. */
  email: string;
  /** argon2id; null: cannot sign in with a password. */
  password_hash: string | null;
  /** argon2id of the API password for HTTP Basic; null: none set. */
  api_password_hash: string | null;
  time_zone: string;
  language: 'en' | 'ja';
  /** 1 active, 0 suspended. */
  active: number;
  primary_organization_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeletedUserTable {
  workspace_id: string;
  id: string;
  name: string;
  email: string;
  delegate_id: string | null;
  deleted_by: string | null;
  deleted_at: string;
}

export interface OrganizationTable {
  workspace_id: string;
  id: string;
  name: string;
  email: string | null;
  parent_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface MembershipTable {
  workspace_id: string;
  organization_id: string;
  user_id: string;
  position: 'leader' | 'member';
  created_at: string;
}

export interface RoleTable {
  workspace_id: string;
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface RoleMemberTable {
  workspace_id: string;
  role_id: string;
  user_id: string;
  created_at: string;
}

export interface SystemAuthorityTable {
  workspace_id: string;
  authority: 'systemAdministrator' | 'appCreator' | 'userManager';
  user_id: string;
  created_at: string;
}

export interface AppAuthorityTable {
  workspace_id: string;
  id: string;
  app_id: string;
  authority: 'appAdministrator' | 'processManager' | 'dataViewer';
  grantee_kind: 'user' | 'organization' | 'role';
  grantee_id: string;
  include_sub_organizations: number;
  position: 'leader' | 'member' | null;
  created_at: string;
}

export interface WorkspaceAuthTable {
  workspace_id: string;
  basic_auth: number;
  updated_at: string;
}

export interface AuthSessionTable {
  /** SHA-256 (base64url) of the session id in the cookie. */
  id_hash: string;
  workspace_id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface OAuthClientTable {
  id: string;
  workspace_id: string;
  name: string;
  type: 'confidential' | 'public';
  secret_hash: string | null;
  /** JSON array of exact redirect URIs. */
  redirect_uris: string;
  /** JSON array of `read` | `any`. */
  scopes: string;
  user_id: string;
  created_by: string;
  created_at: string;
}

export interface OAuthCodeTable {
  code_hash: string;
  workspace_id: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string;
  expires_at: string;
  used_at: string | null;
}

export interface OAuthTokenTable {
  token_hash: string;
  workspace_id: string;
  kind: 'access' | 'refresh';
  client_id: string;
  user_id: string;
  scope: string;
  family_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface IdentityTables {
  workspace_user: WorkspaceUserTable;
  deleted_user: DeletedUserTable;
  organization: OrganizationTable;
  membership: MembershipTable;
  role: RoleTable;
  role_member: RoleMemberTable;
  system_authority: SystemAuthorityTable;
  app_authority: AppAuthorityTable;
  workspace_auth: WorkspaceAuthTable;
  auth_session: AuthSessionTable;
  oauth_client: OAuthClientTable;
  oauth_code: OAuthCodeTable;
  oauth_token: OAuthTokenTable;
}
