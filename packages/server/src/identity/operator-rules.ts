/**
 * Swimlane operator rules (who may do a lane's steps), as plain data, and reading them from a
 * BPMN document's `nagare:operators` on lanes. docs/swimlanes.md describes every rule.
 */
import {
  type BpmnDefinitions,
  isModdleElement,
  type ModdleElement,
  many,
  nagareExtension,
} from '@nagare/engine';
import type { AppAuthority } from './directory.js';

/** Which members of an organization: everyone, leaders only, or members who are not leaders. */
export type PositionFilter = 'any' | 'leader' | 'member';

/** How a rule relates to another lane's operator (or to the starter). */
export type Relation =
  /** The very user who operated that lane. */
  | 'sameUser'
  /** Members of that operator's organization. */
  | 'sameOrganization'
  /** Members of its parent organization. */
  | 'parentOrganization'
  /** Members of the nearest organization above it (parent, grandparent, ...) that has any matching member. */
  | 'upperOrganization'
  /** The operator's boss: the other leaders of its organization, else the leaders of the nearest organization above with a leader. */
  | 'boss';

export type OperatorRule =
  | { readonly kind: 'user'; readonly user: string }
  | {
      readonly kind: 'organization';
      readonly organization: string;
      readonly includeSubOrganizations?: boolean;
      readonly position?: PositionFilter;
    }
  | { readonly kind: 'authority'; readonly authority: AppAuthority }
  | {
      /** The user, or the organization's members, held in a User- or Organization-type data item. */
      readonly kind: 'item';
      readonly item: string;
      readonly includeSubOrganizations?: boolean;
      readonly position?: PositionFilter;
    }
  | {
      readonly kind: 'relation';
      /** The lane whose operator the rule is relative to; absent: the starter. */
      readonly lane?: string;
      readonly relation: Relation;
      readonly position?: PositionFilter;
    }
  | { readonly kind: 'role'; readonly role: string };

/** `offer`: each task is offered to all candidates. `oneUser`: the first to do a task of the lane gets all its later tasks in the issue. */
export type Allocation = 'offer' | 'oneUser';

export interface LaneOperators {
  readonly laneId: string;
  readonly laneName?: string;
  readonly allocation: Allocation;
  /** Alternatives: a candidate matches at least one rule. */
  readonly rules: readonly OperatorRule[];
  /** Lanes whose operators (in this issue) are never candidates here. */
  readonly exclusions: readonly string[];
  /** A team lane: the task goes to every candidate. */
  readonly team?: boolean;
}

export interface LaneReadProblem {
  readonly laneId: string;
  readonly message: string;
}

const POSITIONS: Record<string, PositionFilter> = {
  any: 'any',
  all: 'any',
  leader: 'leader',
  leaders: 'leader',
  member: 'member',
  members: 'member',
  staff: 'member',
};
const RELATIONS: Record<string, Relation> = {
  same: 'sameUser',
  sameuser: 'sameUser',
  user: 'sameUser',
  sameorganization: 'sameOrganization',
  parentorganization: 'parentOrganization',
  parent: 'parentOrganization',
  upperorganization: 'upperOrganization',
  upper: 'upperOrganization',
  boss: 'boss',
};
const AUTHORITIES: Record<string, AppAuthority> = {
  appadministrator: 'appAdministrator',
  administrator: 'appAdministrator',
  admin: 'appAdministrator',
  processmanager: 'processManager',
  manager: 'processManager',
  dataviewer: 'dataViewer',
  viewer: 'dataViewer',
};
const ALLOCATIONS: Record<string, Allocation> = {
  offer: 'offer',
  oneuser: 'oneUser',
  one: 'oneUser',
  single: 'oneUser',
  allocate: 'oneUser',
};

function s(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function key(v: unknown): string {
  return (s(v) ?? '').toLowerCase().replace(/[\s_-]/g, '');
}

/** One `nagare:operatorRule` as a rule, or why it is not one. */
export function readOperatorRule(el: ModdleElement): OperatorRule | { error: string } {
  const kind = key(el.kind);
  const position = el.position === undefined ? undefined : POSITIONS[key(el.position)];
  if (el.position !== undefined && !position)
    return { error: `position "${String(el.position)}" is not any, leader or member` };
  const withPosition = <T extends object>(r: T): T => (position ? { ...r, position } : r);
  const sub = el.includeSubOrganizations === true ? { includeSubOrganizations: true } : {};
  switch (kind) {
    case 'user':
      return s(el.user) ? { kind: 'user', user: s(el.user)! } : { error: 'a user rule needs user' };
    case 'organization':
      return s(el.organization)
        ? withPosition({ kind: 'organization' as const, organization: s(el.organization)!, ...sub })
        : { error: 'an organization rule needs organization' };
    case 'authority': {
      const authority = AUTHORITIES[key(el.authority)];
      return authority
        ? { kind: 'authority', authority }
        : {
            error: `authority "${String(el.authority ?? '')}" is not appAdministrator, processManager or dataViewer`,
          };
    }
    case 'item':
      return s(el.item)
        ? withPosition({ kind: 'item' as const, item: s(el.item)!, ...sub })
        : { error: 'an item rule needs item' };
    case 'relation': {
      const relation = RELATIONS[key(el.relation)];
      if (!relation)
        return {
          error: `relation "${String(el.relation ?? '')}" is not sameUser, sameOrganization, parentOrganization, upperOrganization or boss`,
        };
      const lane = s(el.lane);
      return withPosition({ kind: 'relation' as const, relation, ...(lane ? { lane } : {}) });
    }
    case 'role':
      return s(el.role) ? { kind: 'role', role: s(el.role)! } : { error: 'a role rule needs role' };
    default:
      return {
        error: `kind "${String(el.kind ?? '')}" is not user, organization, authority, item, relation or role`,
      };
  }
}

function laneElements(laneSet: ModdleElement, out: ModdleElement[]): void {
  for (const lane of many(laneSet, 'lanes')) {
    out.push(lane);
    if (isModdleElement(lane.childLaneSet)) laneElements(lane.childLaneSet, out);
  }
}

/** The operator rules of every lane of the (executable) process, in document order. */
export function readLaneOperators(definitions: BpmnDefinitions): {
  lanes: LaneOperators[];
  problems: LaneReadProblem[];
} {
  const processes = many(definitions, 'rootElements').filter((e) => e.$type === 'bpmn:Process');
  const proc = processes.find((p) => p.isExecutable === true) ?? processes[0];
  const elements: ModdleElement[] = [];
  for (const laneSet of proc ? many(proc, 'laneSets') : []) laneElements(laneSet, elements);
  const lanes: LaneOperators[] = [];
  const problems: LaneReadProblem[] = [];
  for (const el of elements) {
    const laneId = String(el.id);
    const ops = nagareExtension(el, 'Operators');
    const rules: OperatorRule[] = [];
    (ops ? many(ops, 'rules') : []).forEach((r, i) => {
      const rule = readOperatorRule(r);
      if ('error' in rule) problems.push({ laneId, message: `${laneId}, rule ${i + 1}: ${rule.error}` });
      else rules.push(rule);
    });
    const allocation = ALLOCATIONS[key(ops?.allocation ?? 'offer')];
    if (!allocation)
      problems.push({
        laneId,
        message: `${laneId}: allocation "${String(ops?.allocation)}" is not offer or oneUser`,
      });
    const lane: { -readonly [K in keyof LaneOperators]: LaneOperators[K] } = {
      laneId,
      allocation: allocation ?? 'offer',
      rules,
      exclusions: (ops ? many(ops, 'exclusions') : [])
        .map((x) => s(x.lane))
        .filter((x): x is string => x !== undefined),
    };
    if (s(el.name)) lane.laneName = s(el.name);
    if (ops?.team === true) lane.team = true;
    lanes.push(lane);
  }
  return { lanes, problems };
}
