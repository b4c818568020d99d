import { grantSystemAuthority, type SystemAuthority } from '../../src/identity/authorities.js';
import { createUser, type Language } from '../../src/identity/users.js';
import { createWorkspace } from '../../src/identity/workspaces.js';
import type { Store } from '../../src/store/database.js';

export interface SeedUser {
  /** A key to find the user in the result (and the start of the e-mail), e.g. `admin`. */
  readonly key: string;
  readonly name?: string;
  readonly email?: string;
  /** Browser sign-in password (default `<key>-password`). */
  readonly password?: string;
  /** The HTTP Basic API password (default `<key>-api-password`). */
  readonly apiPassword?: string;
  readonly language?: Language;
  readonly authorities?: readonly SystemAuthority[];
}

export interface SeededUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly apiPassword: string;
  /** Ready-made header values for HTTP Basic as this user in this workspace. */
  readonly headers: { readonly authorization: string; readonly 'nagare-workspace': string };
  /** The `authorization` value alone (send `nagare-workspace` too unless the workspace is `default`). */
  readonly authorization: string;
}

export interface SeededWorkspace {
  readonly workspaceId: string;
  readonly users: Readonly<Record<string, SeededUser>>;
}

let counter = 0;

/**
 * Creates a workspace and its users (with passwords and API passwords) through the store code,
 * so any route test can sign in: `app.inject({ headers: seeded.users.admin.headers })`.
 * `workspaceId: 'default'` seeds the workspace migration 0002 made.
 */
export async function seedWorkspace(
  store: Store,
  options: { readonly workspaceId?: string; readonly name?: string; readonly users: readonly SeedUser[] },
): Promise<SeededWorkspace> {
  const workspaceId =
    options.workspaceId === 'default'
      ? 'default'
      : await createWorkspace(store.db, {
          ...(options.workspaceId === undefined ? {} : { id: options.workspaceId }),
          name: options.name ?? `Workspace ${++counter}`,
        });
  const users: Record<string, SeededUser> = {};
  await Promise.all(
    options.users.map(async (u) => {
      const email = u.email ?? `${u.key}.${workspaceId}@nagare.example`.toLowerCase();
      const password = u.password ?? `${u.key}-password`;
      const apiPassword = u.apiPassword ?? `${u.key}-api-password`;
      const user = await createUser(store.db, workspaceId, {
        name: u.name ?? u.key,
        email,
        password,
        apiPassword,
        ...(u.language ? { language: u.language } : {}),
      });
      for (const a of u.authorities ?? []) await grantSystemAuthority(store.db, workspaceId, user.id, a);
      const authorization = `Basic ${Buffer.from(`${email}:${apiPassword}`).toString('base64')}`;
      users[u.key] = {
        id: user.id,
        email,
        password,
        apiPassword,
        authorization,
        headers: { authorization, 'nagare-workspace': workspaceId },
      };
    }),
  );
  return { workspaceId, users };
}
