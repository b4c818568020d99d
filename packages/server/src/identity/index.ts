// Identity: the directory of users, organizations, roles and App authorities, and the
// swimlane operator rules resolved over it.
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
export {
  type Operator,
  type OperatorErrorCode,
  OperatorErrorCodes,
  type OperatorRuleError,
  type Resolution,
  type ResolveContext,
  resolveLane,
} from './resolve.js';
