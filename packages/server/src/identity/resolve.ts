/**
 * Resolving a swimlane's operator rules to the users who may do its next task. Pure: it reads
 * the `Directory` and the context (data values, starter, who operated which lane) and
 * returns candidates, or typed errors naming the lane and the rule — never an exception.
 *
 * Order of work (docs/swimlanes.md): every rule is resolved (rules are alternatives: their
 * users are united); any rule error fails the resolution; exclusions remove the operators of
 * the excluded lanes; suspended users are dropped; candidates are sorted by user id; then the
 * allocation mode decides between offering the task to all candidates and allocating it.
 */
import type { AppAuthority, Directory, DirectoryUser, Membership, Position } from './directory.js';
import type { LaneOperators, OperatorRule, PositionFilter } from './operator-rules.js';

/** Who did a step: the user and the organization they acted for (if known). */
export interface Operator {
  readonly userId: string;
  readonly organizationId?: string;
}

export interface ResolveContext {
  readonly appId: string;
  /** The data values (field name → value). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Data item types by field name (e.g. `CompiledApp.dataItems`): item rules need a user or organization item. */
  readonly items?: Readonly<Record<string, { readonly type: string }>>;
  /** Who started the issue: relation rules without a lane are relative to them. */
  readonly starter?: Operator;
  /** Lane id → who has done its tasks in this issue, oldest first. */
  readonly laneOperators?: Readonly<Record<string, readonly Operator[]>>;
  /** The App's lane ids: relations and exclusions naming another lane are checked against them. */
  readonly lanes?: readonly string[];
}

export const OperatorErrorCodes = {
  NoRules: 'NO_RULES',
  UnknownUser: 'UNKNOWN_USER',
  UnknownOrganization: 'UNKNOWN_ORGANIZATION',
  UnknownRole: 'UNKNOWN_ROLE',
  UnknownLane: 'UNKNOWN_LANE',
  UnknownItem: 'UNKNOWN_ITEM',
  ItemNotPerson: 'ITEM_NOT_PERSON',
  ItemEmpty: 'ITEM_EMPTY',
  NoOperatorYet: 'NO_OPERATOR_YET',
  NoCandidates: 'NO_CANDIDATES',
  /** The directory threw (an outage or a bug). */
  DirectoryFailed: 'DIRECTORY_FAILED',
} as const;
export type OperatorErrorCode = (typeof OperatorErrorCodes)[keyof typeof OperatorErrorCodes];

export interface OperatorRuleError {
  readonly code: OperatorErrorCode;
  readonly lane: string;
  readonly laneName?: string;
  /** 1-based index of the rule, when a rule is at fault. */
  readonly rule?: number;
  readonly ruleKind?: OperatorRule['kind'];
  readonly message: string;
}

export type Resolution =
  | {
      readonly ok: true;
      readonly lane: string;
      /** Sorted by user id. */
      readonly candidates: readonly DirectoryUser[];
      /** `offer`: the task is offered to all candidates; `allocated`: it goes to `allocatedTo`; `team`: to every candidate. */
      readonly mode: 'offer' | 'allocated' | 'team';
      readonly allocatedTo?: DirectoryUser;
    }
  | { readonly ok: false; readonly lane: string; readonly errors: readonly OperatorRuleError[] };

const E = OperatorErrorCodes;

function matches(position: Position, filter: PositionFilter | undefined): boolean {
  return filter === undefined || filter === 'any' || filter === position;
}

/** The organization and, optionally, all below it (depth first, children in directory order). */
function withDescendants(dir: Directory, org: string, include: boolean): string[] {
  const out = [org];
  if (!include) return out;
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++) {
    for (const c of dir.children(out[i]!)) {
      if (!seen.has(c)) {
        seen.add(c);
        out.push(c);
      }
    }
  }
  return out;
}

function membersOf(dir: Directory, orgs: readonly string[], position: PositionFilter | undefined): string[] {
  const out: string[] = [];
  for (const org of orgs) {
    for (const m of dir.members(org)) if (matches(m.position, position)) out.push(m.userId);
  }
  return out;
}

function parentOf(dir: Directory, org: string): string | undefined {
  return dir.organization(org)?.parent;
}

/** The organizations an operator acts for: the one given, else the primary one, else all of theirs. */
function organizationsOf(dir: Directory, op: Operator): string[] {
  if (op.organizationId !== undefined) return [op.organizationId];
  const primary = dir.user(op.userId)?.primaryOrganization;
  if (primary !== undefined) return [primary];
  return [...new Set(dir.memberships(op.userId).map((m: Membership) => m.organizationId))].sort();
}

/** Nearest organization above `org` with at least one member matching `position` (and not only `except`). */
function nearestAbove(
  dir: Directory,
  org: string,
  position: PositionFilter | undefined,
  except?: string,
): string | undefined {
  const seen = new Set<string>([org]);
  for (let at = parentOf(dir, org); at !== undefined && !seen.has(at); at = parentOf(dir, at)) {
    seen.add(at);
    if (membersOf(dir, [at], position).some((u) => u !== except)) return at;
  }
  return undefined;
}

type RuleResult = { users: string[] } | { code: OperatorErrorCode; message: string };

function personRef(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  return undefined;
}

function expandAuthority(dir: Directory, appId: string, authority: AppAuthority): string[] {
  const out: string[] = [];
  for (const g of dir.authorityGrants(appId, authority)) {
    if (g.kind === 'user') out.push(g.user);
    else if (g.kind === 'role') out.push(...dir.roleMembers(g.role));
    else if (dir.organization(g.organization)) {
      out.push(
        ...membersOf(
          dir,
          withDescendants(dir, g.organization, g.includeSubOrganizations === true),
          g.position,
        ),
      );
    }
  }
  return out;
}

function resolveRule(dir: Directory, rule: OperatorRule, ctx: ResolveContext): RuleResult {
  switch (rule.kind) {
    case 'user':
      return dir.user(rule.user)
        ? { users: [rule.user] }
        : { code: E.UnknownUser, message: `no user "${rule.user}"` };
    case 'organization':
      if (!dir.organization(rule.organization)) {
        return { code: E.UnknownOrganization, message: `no organization "${rule.organization}"` };
      }
      return {
        users: membersOf(
          dir,
          withDescendants(dir, rule.organization, rule.includeSubOrganizations === true),
          rule.position,
        ),
      };
    case 'authority':
      return { users: expandAuthority(dir, ctx.appId, rule.authority) };
    case 'role':
      return dir.role(rule.role)
        ? { users: [...dir.roleMembers(rule.role)] }
        : { code: E.UnknownRole, message: `no role "${rule.role}"` };
    case 'item': {
      const type = ctx.items?.[rule.item]?.type.toLowerCase();
      if (ctx.items && type === undefined)
        return { code: E.UnknownItem, message: `no data item "${rule.item}"` };
      if (type !== undefined && type !== 'user' && type !== 'organization') {
        return {
          code: E.ItemNotPerson,
          message: `data item "${rule.item}" is ${type}, not a user or organization item`,
        };
      }
      const value = ctx.data?.[rule.item];
      const refs = (Array.isArray(value) ? value : [value]).map(personRef).filter((r) => r !== undefined);
      if (refs.length === 0) {
        return {
          code: E.ItemEmpty,
          message: `data item "${rule.item}" holds no ${type ?? 'user or organization'}`,
        };
      }
      const users: string[] = [];
      for (const ref of refs) {
        const isOrg =
          type === 'organization' || (type === undefined && !dir.user(ref) && !!dir.organization(ref));
        if (isOrg) {
          if (!dir.organization(ref)) {
            return {
              code: E.UnknownOrganization,
              message: `data item "${rule.item}" holds "${ref}", which is no organization`,
            };
          }
          users.push(
            ...membersOf(
              dir,
              withDescendants(dir, ref, rule.includeSubOrganizations === true),
              rule.position,
            ),
          );
        } else {
          if (!dir.user(ref)) {
            return {
              code: E.UnknownUser,
              message: `data item "${rule.item}" holds "${ref}", which is no user`,
            };
          }
          users.push(ref);
        }
      }
      return { users };
    }
    case 'relation': {
      let op: Operator | undefined;
      if (rule.lane === undefined) {
        op = ctx.starter;
        if (!op)
          return { code: E.NoOperatorYet, message: 'relative to the starter, but the issue has no starter' };
      } else {
        if (ctx.lanes && !ctx.lanes.includes(rule.lane)) {
          return { code: E.UnknownLane, message: `no lane "${rule.lane}"` };
        }
        const ops = ctx.laneOperators?.[rule.lane] ?? [];
        op = ops[ops.length - 1];
        if (!op) {
          return {
            code: E.NoOperatorYet,
            message: `relative to lane "${rule.lane}", which no one has operated yet`,
          };
        }
      }
      if (!dir.user(op.userId))
        return { code: E.UnknownUser, message: `no user "${op.userId}" (the operator)` };
      if (rule.relation === 'sameUser') return { users: [op.userId] };
      const orgs = organizationsOf(dir, op);
      for (const org of orgs) {
        if (!dir.organization(org))
          return { code: E.UnknownOrganization, message: `no organization "${org}"` };
      }
      const users: string[] = [];
      for (const org of orgs) {
        switch (rule.relation) {
          case 'sameOrganization':
            users.push(...membersOf(dir, [org], rule.position));
            break;
          case 'parentOrganization': {
            const parent = parentOf(dir, org);
            if (parent !== undefined) users.push(...membersOf(dir, [parent], rule.position));
            break;
          }
          case 'upperOrganization': {
            const above = nearestAbove(dir, org, rule.position);
            if (above !== undefined) users.push(...membersOf(dir, [above], rule.position));
            break;
          }
          case 'boss': {
            const leaders = membersOf(dir, [org], 'leader').filter((u) => u !== op.userId);
            if (leaders.length > 0) users.push(...leaders);
            else {
              const above = nearestAbove(dir, org, 'leader', op.userId);
              if (above !== undefined)
                users.push(...membersOf(dir, [above], 'leader').filter((u) => u !== op.userId));
            }
            break;
          }
        }
      }
      return { users };
    }
  }
}

/** The candidates for the next task of a lane. Never throws. */
export function resolveLane(dir: Directory, lane: LaneOperators, ctx: ResolveContext): Resolution {
  const errors: OperatorRuleError[] = [];
  const base =
    lane.laneName !== undefined ? { lane: lane.laneId, laneName: lane.laneName } : { lane: lane.laneId };
  const where = lane.laneName ? `lane ${lane.laneId} (${lane.laneName})` : `lane ${lane.laneId}`;
  if (lane.rules.length === 0) {
    return {
      ok: false,
      lane: lane.laneId,
      errors: [{ ...base, code: E.NoRules, message: `${where}: has no operator rules` }],
    };
  }
  const users = new Set<string>();
  lane.rules.forEach((rule, i) => {
    let r: RuleResult;
    try {
      r = resolveRule(dir, rule, ctx);
    } catch (e) {
      // A directory that throws (a bug or an outage) still gives a typed result.
      r = {
        code: E.DirectoryFailed,
        message: `the directory failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    if ('code' in r) {
      errors.push({
        ...base,
        code: r.code,
        rule: i + 1,
        ruleKind: rule.kind,
        message: `${where}, rule ${i + 1} (${rule.kind}): ${r.message}`,
      });
    } else for (const u of r.users) users.add(u);
  });
  for (const x of lane.exclusions) {
    if (ctx.lanes && !ctx.lanes.includes(x)) {
      errors.push({
        ...base,
        code: E.UnknownLane,
        message: `${where}: excludes lane "${x}", which does not exist`,
      });
      continue;
    }
    for (const op of ctx.laneOperators?.[x] ?? []) users.delete(op.userId);
  }
  if (errors.length > 0) return { ok: false, lane: lane.laneId, errors };
  const candidates = [...users]
    .map((id) => dir.user(id))
    .filter((u): u is DirectoryUser => u !== undefined && u.active !== false)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (candidates.length === 0) {
    return {
      ok: false,
      lane: lane.laneId,
      errors: [
        {
          ...base,
          code: E.NoCandidates,
          message: `${where}: no one is left to do the task (after exclusions and suspended users)`,
        },
      ],
    };
  }
  if (lane.team) return { ok: true, lane: lane.laneId, candidates, mode: 'team' };
  if (lane.allocation === 'oneUser') {
    const first = ctx.laneOperators?.[lane.laneId]?.[0];
    const keep = first && candidates.find((c) => c.id === first.userId);
    if (keep)
      return { ok: true, lane: lane.laneId, candidates: [keep], mode: 'allocated', allocatedTo: keep };
  }
  if (candidates.length === 1) {
    return { ok: true, lane: lane.laneId, candidates, mode: 'allocated', allocatedTo: candidates[0]! };
  }
  return { ok: true, lane: lane.laneId, candidates, mode: 'offer' };
}
