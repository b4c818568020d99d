import type { Kysely } from 'kysely';

// Never edit a migration once it has landed: add the next number instead.

/**
 * People and sign-in (docs/auth.md): users, organizations (a tree), memberships with a
 * position, roles, system and App authorities, per-workspace auth settings, server-side
 * sessions, and the OAuth 2.0 server's clients, codes and tokens.
 *
 * People tables are keyed by (workspace_id, id): every lookup names the workspace, so an id
 * from one workspace never resolves in another. Secrets are stored only as hashes: passwords
 * and API passwords as argon2id, session ids, OAuth codes, tokens and client secrets as
 * SHA-256 of a 256-bit random value (a slow hash adds nothing to a random value).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspace_user')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspace.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull()) // stored lower-cased
    .addColumn('password_hash', 'text')
    .addColumn('api_password_hash', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull()) // en | ja
    .addColumn('active', 'integer', (c) => c.notNull()) // 1 | 0 (suspended)
    .addColumn('primary_organization_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workspace_user_pkey', ['workspace_id', 'id'])
    .addUniqueConstraint('workspace_user_email_key', ['workspace_id', 'email'])
    .execute();

  // A deleted user's name and who took over their tasks: history and tasks keep naming the id.
  await db.schema
    .createTable('deleted_user')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('delegate_id', 'text')
    .addColumn('deleted_by', 'text')
    .addColumn('deleted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deleted_user_pkey', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('organization')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspace.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('parent_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_pkey', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('organization_parent_idx')
    .on('organization')
    .columns(['workspace_id', 'parent_id'])
    .execute();

  await db.schema
    .createTable('membership')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull()) // leader | member
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('membership_pkey', ['workspace_id', 'organization_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('membership_user_idx')
    .on('membership')
    .columns(['workspace_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('role')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspace.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_pkey', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('role_member')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_member_pkey', ['workspace_id', 'role_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('role_member_user_idx')
    .on('role_member')
    .columns(['workspace_id', 'user_id'])
    .execute();

  // systemAdministrator | appCreator | userManager, granted to users.
  await db.schema
    .createTable('system_authority')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('system_authority_pkey', ['workspace_id', 'authority', 'user_id'])
    .execute();

  // App authorities granted to a user, an organization (position, sub-organizations) or a role.
  // app_id has no foreign key: grants may be set up before the App is imported.
  await db.schema
    .createTable('app_authority')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull()) // appAdministrator | processManager | dataViewer
    .addColumn('grantee_kind', 'text', (c) => c.notNull()) // user | organization | role
    .addColumn('grantee_id', 'text', (c) => c.notNull())
    .addColumn('include_sub_organizations', 'integer', (c) => c.notNull())
    .addColumn('position', 'text') // leader | member | null (any)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_authority_pkey', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('app_authority_app_idx')
    .on('app_authority')
    .columns(['workspace_id', 'app_id', 'authority'])
    .execute();

  // One row per workspace that changed a default (no row: the defaults).
  await db.schema
    .createTable('workspace_auth')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('basic_auth', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auth_session_user_idx')
    .on('auth_session')
    .columns(['workspace_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('oauth_client')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the client_id, random
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull()) // confidential | public
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull()) // JSON array
    .addColumn('scopes', 'text', (c) => c.notNull()) // JSON array of read | any
    .addColumn('user_id', 'text', (c) => c.notNull()) // whom client-credentials tokens act as
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oauth_code')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('oauth_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // access | refresh
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.notNull()) // one authorization: its refresh chain and access tokens
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text') // a refresh token, once rotated
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('oauth_token_family_idx').on('oauth_token').column('family_id').execute();
}
