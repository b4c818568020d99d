// Identity: the directory of users, organizations, roles and App authorities, and the
// swimlane operator rules resolved over it.

// The stored people of a workspace (issue 5; docs/auth.md).
export {
  type Caller,
  grantAppAuthority,
  grantSystemAuthority,
  hasAppAuthority,
  hasSystemAuthority,
  type SystemAuthority,
} from './authorities.js';
export { bootstrapAdministrator } from './bootstrap.js';
export {
  type AppAuthority,
  type AuthorityGrant,
  type Directory,
  type DirectoryOrganization,
  type DirectoryRole,
  type DirectorySeed,
  type DirectoryUser,
  InMemoryDirectory,
  type Membership,
  type Position,
} from './directory.js';
export { IdentityError, type IdentityErrorKind } from './identity-error.js';
export { setMembership } from './memberships.js';
export {
  type Allocation,
  type LaneOperators,
  type LaneReadProblem,
  type OperatorRule,
  type PositionFilter,
  type Relation,
  readLaneOperators,
  readOperatorRule,
} from './operator-rules.js';
export { createOrganization } from './organizations.js';
export {
  type Operator,
  type OperatorErrorCode,
  OperatorErrorCodes,
  type OperatorRuleError,
  type Resolution,
  type ResolveContext,
  resolveLane,
} from './resolve.js';
export { addRoleMember, createRole } from './roles.js';
export { loadDirectory, storeDirectorySeed } from './store-directory.js';
export { createUser, deleteUser, findUser } from './users.js';
export { createWorkspace, setWorkspaceAuthSettings } from './workspaces.js';
