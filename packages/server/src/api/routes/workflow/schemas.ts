import { FormatRegistry, type TSchema, Type } from '@sinclair/typebox';
import { ErrorBody } from '../../errors.js';

/** TypeBox schemas of the Workflow API (docs/workflow-api.md). */

// The strict (TypeBox) validator knows no formats until they are registered: RFC 3339 date-time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

export const Id = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s/]+$' });
export const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Every error response a workflow route may send (same body, one schema per status). */
export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;

export const DataValues = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Data item values by field name',
});

export const PageQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page' }),
  ),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 1000, description: 'nextCursor of the previous page' }),
  ),
};

export function PageOf<T extends TSchema>(item: T, title: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Optional(Type.String({ description: 'Absent on the last page' })),
    },
    { title },
  );
}

// --- apps ----------------------------------------------------------------------------------------

export const AppIdParams = Type.Object({ appId: Id });

export const StartEvent = Type.Object({
  node: Type.String(),
  name: Nullable(Type.String()),
  trigger: Type.Union([
    Type.Literal('none'),
    Type.Literal('message'),
    Type.Literal('timer'),
    Type.Literal('addon'),
  ]),
});

export const App = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    releasedVersion: Nullable(Type.Integer({ description: 'The version new issues start on' })),
    createdAt: Timestamp,
    startEvents: Type.Array(StartEvent, { description: 'Of the released version' }),
  },
  { title: 'App' },
);

export const AppList = Type.Object({ items: Type.Array(App) }, { title: 'AppList' });

export const AppListQuery = Type.Object({
  view: Type.Optional(
    Type.Union([Type.Literal('startable'), Type.Literal('all')], {
      description:
        'startable (default): released Apps with a plain start event; all: every App of the workspace (App administrators, App creators)',
    }),
  ),
});

export const BpmnUpload = Type.Object(
  {
    bpmn: Type.String({ minLength: 1, maxLength: 10_000_000, description: 'The BPMN 2.0 XML' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const CompileWarning = Type.Object({
  severity: Type.String(),
  code: Type.String(),
  message: Type.String(),
  elementId: Type.Optional(Type.String()),
});

export const AppVersion = Type.Object(
  {
    id: Type.String(),
    appId: Type.String(),
    version: Type.Integer(),
    status: Type.Union([Type.Literal('draft'), Type.Literal('released'), Type.Literal('retired')]),
    note: Nullable(Type.String()),
    createdAt: Timestamp,
    releasedAt: Nullable(Timestamp),
  },
  { title: 'AppVersion' },
);

export const Deployed = Type.Object(
  {
    appId: Type.String(),
    version: AppVersion,
    warnings: Type.Array(CompileWarning),
  },
  { title: 'Deployed' },
);

export const VersionList = Type.Object({ items: Type.Array(AppVersion) }, { title: 'AppVersionList' });
export const VersionParams = Type.Object({ appId: Id, version: Type.Integer({ minimum: 1 }) });
export const ReleaseBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 10_000, description: 'What this release changes' })) },
  { additionalProperties: false },
);

// --- issues --------------------------------------------------------------------------------------

export const IssueIdParams = Type.Object({ issueId: Id });

export const StartBody = Type.Object(
  {
    data: Type.Optional(DataValues),
    mode: Type.Optional(
      Type.Union([Type.Literal('normal'), Type.Literal('test')], {
        description: 'test: a debug run of the newest draft (App administrators)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Started = Type.Object(
  { issueId: Type.String(), status: Type.String(), mode: Type.String() },
  { title: 'Started' },
);

export const IssueStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('terminated'),
  Type.Literal('cancelled'),
]);

export const IssueSummary = Type.Object(
  {
    id: Type.String(),
    appId: Type.String(),
    appName: Type.String(),
    version: Type.Integer(),
    status: Type.String(),
    mode: Type.String(),
    title: Nullable(Type.String({ description: 'The value of the data item "title", if the App has one' })),
    startedBy: Nullable(Type.String()),
    startedAt: Timestamp,
    endedAt: Nullable(Timestamp),
  },
  { title: 'IssueSummary' },
);

export const IssueSearchQuery = Type.Object({
  appId: Type.Optional(Id),
  status: Type.Optional(IssueStatus),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Contained in the title' })),
  startedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A user id, or "me"' })),
  startedFrom: Type.Optional(Timestamp),
  startedTo: Type.Optional(Timestamp),
  endedFrom: Type.Optional(Timestamp),
  endedTo: Type.Optional(Timestamp),
  data: Type.Optional(
    Type.Union(
      [Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 })],
      {
        description: 'field=value: the data item equals the value (repeat for AND)',
      },
    ),
  ),
  order: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest')])),
  ...PageQuery,
});

export const IssuePage = PageOf(IssueSummary, 'IssuePage');

export const CurrentStep = Type.Object({
  node: Type.String(),
  name: Nullable(Type.String()),
  kind: Type.String({ description: 'task, job, timer or message' }),
  dueAt: Nullable(Timestamp),
});

export const LogEntry = Type.Object(
  {
    type: Type.String(),
    at: Nullable(Type.String()),
    node: Nullable(Type.String()),
    by: Nullable(Type.String()),
  },
  { title: 'LogEntry' },
);

export const IssueDetail = Type.Object(
  {
    issue: IssueSummary,
    data: DataValues,
    currentSteps: Type.Array(CurrentStep),
    route: Type.Array(Type.Object({ flow: Type.String(), count: Type.Integer() })),
    log: Type.Array(LogEntry),
  },
  { title: 'IssueDetail' },
);

export const StopBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export const FileParams = Type.Object({ issueId: Id, fileId: Id });

export const IncidentParams = Type.Object({ issueId: Id, seq: Type.Integer({ minimum: 1 }) });
export const RetryBody = Type.Object(
  {
    /** Values to fix before the retry (e.g. the one a condition failed on), by field name. */
    data: Type.Optional(DataValues),
  },
  { additionalProperties: false },
);

// --- tasks ---------------------------------------------------------------------------------------

export const TaskIdParams = Type.Object({
  taskId: Type.String({ minLength: 3, maxLength: 400, pattern: '^[^\\s/:]+:[0-9]+(:[^\\s/:]+)?$' }),
});

export const Task = Type.Object(
  {
    id: Type.String(),
    issueId: Type.String(),
    appId: Type.String(),
    node: Type.String(),
    name: Nullable(Type.String()),
    status: Type.Union([
      Type.Literal('offered'),
      Type.Literal('allocated'),
      Type.Literal('done'),
      Type.Literal('cancelled'),
    ]),
    assignee: Nullable(Type.String()),
    candidates: Nullable(
      Type.Array(Type.String(), {
        description: 'null: anyone in the workspace may take it (no swimlane rules)',
      }),
    ),
    dueAt: Nullable(Timestamp),
    createdAt: Timestamp,
    starred: Type.Boolean(),
    read: Type.Boolean(),
  },
  { title: 'Task' },
);

export const TaskListQuery = Type.Object({
  view: Type.Optional(
    Type.Union([Type.Literal('mine'), Type.Literal('offered')], {
      description: 'mine (default): allocated to me; offered: offered to me, not yet accepted',
    }),
  ),
  appId: Type.Optional(Id),
  dueBefore: Type.Optional(Timestamp),
  starred: Type.Optional(Type.Boolean()),
  sort: Type.Optional(
    Type.Union([Type.Literal('created'), Type.Literal('due')], {
      description: 'created (default, oldest first) or due (soonest first, no deadline last)',
    }),
  ),
  ...PageQuery,
});

export const TaskPage = PageOf(Task, 'TaskPage');

export const ReassignBody = Type.Object({ userId: Id }, { additionalProperties: false });
export const FlagsBody = Type.Object(
  { starred: Type.Optional(Type.Boolean()), read: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export const BulkAcceptBody = Type.Object(
  { taskIds: Type.Array(TaskIdParams.properties.taskId, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export const BulkAccepted = Type.Object(
  {
    accepted: Type.Array(Type.String()),
    refused: Type.Array(Type.Object({ taskId: Type.String(), code: Type.String(), message: Type.String() })),
  },
  { title: 'BulkAccepted' },
);

export const FormItem = Type.Object(
  {
    fieldName: Type.String(),
    label: Type.String(),
    type: Type.String(),
    mode: Type.Union([Type.Literal('edit'), Type.Literal('read')]),
    required: Type.Boolean(),
    value: Type.Unknown(),
  },
  { title: 'FormItem' },
);

export const Form = Type.Object(
  {
    taskId: Type.String(),
    issueId: Type.String(),
    node: Type.String(),
    name: Nullable(Type.String()),
    buttons: Type.Array(Type.Object({ flow: Type.String(), label: Type.String() })),
    items: Type.Array(FormItem),
    saved: Type.Boolean({ description: 'true when values saved earlier (not finished) are shown' }),
  },
  { title: 'Form' },
);

export const FormBody = Type.Object(
  {
    data: Type.Optional(DataValues),
    button: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The chosen button (its flow id)' }),
    ),
  },
  { additionalProperties: false },
);

export const Finished = Type.Object(
  { taskId: Type.String(), issueId: Type.String(), issueStatus: Type.String() },
  { title: 'Finished' },
);

/**
 * How a multipart body is described in the OpenAPI document. Multipart bodies are read part by
 * part in the handler (files stream into the FileStore), so there is nothing to validate up
 * front: the schema accepts anything and says which parts the route reads.
 */
export const multipartBody = (description: string) => ({ schema: Type.Any({ description }) });
