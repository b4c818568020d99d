/**
 * The people side of a workspace, as the swimlane resolver reads it: users, organizations in
 * a tree (each with an e-mail address), memberships with a position (leader or member),
 * roles, and the App authorities (App administrator, process manager, data viewer) granted to
 * users, organizations or roles. Synchronous and read-only: the store's implementation loads
 * what a resolution needs first; `InMemoryDirectory` serves tests and small set-ups.
 */

export type Position = 'leader' | 'member';

export interface DirectoryUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Suspended users are never candidates (default true). */
  readonly active?: boolean;
  /** The organization a user acts for when a step does not say (Questetra's primary group). */
  readonly primaryOrganization?: string;
}

export interface DirectoryOrganization {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** The parent organization; none for a root. */
  readonly parent?: string;
}

export interface Membership {
  readonly userId: string;
  readonly organizationId: string;
  readonly position: Position;
}

export interface DirectoryRole {
  readonly id: string;
  readonly name: string;
}

/** App authorities (Questetra's process authorities). */
export type AppAuthority = 'appAdministrator' | 'processManager' | 'dataViewer';

/** Who holds an App authority: a user, an organization's members (optionally sub-organizations, a position), a role. */
export type AuthorityGrant =
  | { readonly kind: 'user'; readonly user: string }
  | {
      readonly kind: 'organization';
      readonly organization: string;
      readonly includeSubOrganizations?: boolean;
      readonly position?: Position;
    }
  | { readonly kind: 'role'; readonly role: string };

export interface Directory {
  user(id: string): DirectoryUser | undefined;
  organization(id: string): DirectoryOrganization | undefined;
  /** Child organization ids. */
  children(organizationId: string): readonly string[];
  /** Memberships of an organization (not of its sub-organizations). */
  members(organizationId: string): readonly Membership[];
  /** A user's memberships. */
  memberships(userId: string): readonly Membership[];
  role(id: string): DirectoryRole | undefined;
  /** User ids holding a role. */
  roleMembers(roleId: string): readonly string[];
  /** Grants of an App authority for an App. */
  authorityGrants(appId: string, authority: AppAuthority): readonly AuthorityGrant[];
}

export interface DirectorySeed {
  readonly users: readonly DirectoryUser[];
  readonly organizations: readonly DirectoryOrganization[];
  readonly memberships: readonly Membership[];
  readonly roles?: readonly (DirectoryRole & { readonly members: readonly string[] })[];
  /** App id → authority → grants. */
  readonly authorities?: Readonly<Record<string, Partial<Record<AppAuthority, readonly AuthorityGrant[]>>>>;
}

/** A `Directory` over plain data. Lists come back in the order given. */
export class InMemoryDirectory implements Directory {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly orgs = new Map<string, DirectoryOrganization>();
  private readonly childIds = new Map<string, string[]>();
  private readonly byOrg = new Map<string, Membership[]>();
  private readonly byUser = new Map<string, Membership[]>();
  private readonly roles = new Map<string, DirectoryRole & { readonly members: readonly string[] }>();
  private readonly authorities: NonNullable<DirectorySeed['authorities']>;

  constructor(seed: DirectorySeed) {
    for (const u of seed.users) this.users.set(u.id, u);
    for (const o of seed.organizations) {
      this.orgs.set(o.id, o);
      if (o.parent !== undefined) {
        const list = this.childIds.get(o.parent) ?? [];
        list.push(o.id);
        this.childIds.set(o.parent, list);
      }
    }
    for (const m of seed.memberships) {
      const a = this.byOrg.get(m.organizationId) ?? [];
      a.push(m);
      this.byOrg.set(m.organizationId, a);
      const b = this.byUser.get(m.userId) ?? [];
      b.push(m);
      this.byUser.set(m.userId, b);
    }
    for (const r of seed.roles ?? []) this.roles.set(r.id, r);
    this.authorities = seed.authorities ?? {};
  }

  user(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }
  organization(id: string): DirectoryOrganization | undefined {
    return this.orgs.get(id);
  }
  children(organizationId: string): readonly string[] {
    return this.childIds.get(organizationId) ?? [];
  }
  members(organizationId: string): readonly Membership[] {
    return this.byOrg.get(organizationId) ?? [];
  }
  memberships(userId: string): readonly Membership[] {
    return this.byUser.get(userId) ?? [];
  }
  role(id: string): DirectoryRole | undefined {
    const r = this.roles.get(id);
    return r ? { id: r.id, name: r.name } : undefined;
  }
  roleMembers(roleId: string): readonly string[] {
    return this.roles.get(roleId)?.members ?? [];
  }
  authorityGrants(appId: string, authority: AppAuthority): readonly AuthorityGrant[] {
    return this.authorities[appId]?.[authority] ?? [];
  }
}
