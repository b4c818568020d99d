import { type TSchema, Type } from '@sinclair/typebox';
import { ErrorBody } from '../../errors.js';

/** TypeBox schemas of the system settings API (docs/auth.md): what goes in and out, never a secret. */

export const Id = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s/]+$' });
export const IdParams = Type.Object({ id: Id });
export const Timestamp = Type.String({ format: 'date-time' });

export const PageQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' }),
  ),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page' }),
  ),
});

export function PageOf<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Optional(Type.String({ description: 'Absent on the last page' })),
    },
    { title },
  );
}

const Password = Type.String({ minLength: 8, maxLength: 1000 });
const Language = Type.Union([Type.Literal('en'), Type.Literal('ja')]);
const Email = Type.String({ minLength: 3, maxLength: 320 });
const Name = Type.String({ minLength: 1, maxLength: 200 });

export const User = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    timeZone: Type.String(),
    language: Language,
    active: Type.Boolean({ description: 'false: suspended (cannot sign in, never a candidate)' }),
    primaryOrganizationId: Type.Union([Type.String(), Type.Null()]),
    hasPassword: Type.Boolean(),
    hasApiPassword: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'User' },
);

export const UserCreate = Type.Object(
  {
    name: Name,
    email: Email,
    password: Type.Optional(Password),
    apiPassword: Type.Optional(Type.Union([Password], { description: 'The password for HTTP Basic' })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    language: Type.Optional(Language),
    active: Type.Optional(Type.Boolean()),
    primaryOrganizationId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);

export const UserPatch = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    password: Type.Optional(Type.Union([Password, Type.Null()])),
    apiPassword: Type.Optional(Type.Union([Password, Type.Null()])),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    language: Type.Optional(Language),
    active: Type.Optional(Type.Boolean()),
    primaryOrganizationId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserDeleteQuery = Type.Object({
  delegateId: Type.Optional(Type.Union([Id], { description: 'Who takes over the open tasks' })),
});

export const UserDeleted = Type.Object(
  {
    id: Type.String(),
    delegateId: Type.Union([Type.String(), Type.Null()]),
    tasksMoved: Type.Integer({ description: 'Open tasks now assigned or offered to the delegate' }),
  },
  { title: 'UserDeleted' },
);

export const Organization = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    parentId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Organization' },
);

export const OrganizationCreate = Type.Object(
  {
    name: Name,
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);

export const OrganizationPatch = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Position = Type.Union([Type.Literal('leader'), Type.Literal('member')]);

export const Membership = Type.Object(
  { organizationId: Type.String(), userId: Type.String(), position: Position, createdAt: Timestamp },
  { title: 'Membership' },
);

export const Role = Type.Object(
  { id: Type.String(), name: Type.String(), createdAt: Timestamp, updatedAt: Timestamp },
  { title: 'Role' },
);
export const RoleCreate = Type.Object({ name: Name }, { additionalProperties: false });

export const SystemAuthority = Type.Union([
  Type.Literal('systemAdministrator'),
  Type.Literal('appCreator'),
  Type.Literal('userManager'),
]);
export const AppAuthority = Type.Union([
  Type.Literal('appAdministrator'),
  Type.Literal('processManager'),
  Type.Literal('dataViewer'),
]);

export const AppAuthorityGrant = Type.Union(
  [
    Type.Object({ kind: Type.Literal('user'), user: Id }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('role'), role: Id }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('organization'),
        organization: Id,
        includeSubOrganizations: Type.Optional(Type.Boolean()),
        position: Type.Optional(Position),
      },
      { additionalProperties: false },
    ),
  ],
  { title: 'AppAuthorityGrant' },
);

export const AppAuthorityRecord = Type.Object(
  {
    id: Type.String(),
    appId: Type.String(),
    authority: AppAuthority,
    kind: Type.Union([Type.Literal('user'), Type.Literal('role'), Type.Literal('organization')]),
    user: Type.Optional(Type.String()),
    role: Type.Optional(Type.String()),
    organization: Type.Optional(Type.String()),
    includeSubOrganizations: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  { title: 'AppAuthority' },
);

/** The error responses every system route may give, for the OpenAPI document. */
export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
} as const;
