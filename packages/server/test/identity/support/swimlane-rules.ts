import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Directory,
  InMemoryDirectory,
  type LaneOperators,
  type OperatorRule,
  type Resolution,
  type ResolveContext,
  resolveLane,
} from '../../../src/index.js';
import { SEED, seedMembers } from './org-chart.js';

const LANES = ['L_apply', 'L_approve', 'L_pay', 'L_check'];
const ctx = (extra: Partial<ResolveContext> = {}): ResolveContext => ({
  appId: 'expense',
  lanes: LANES,
  starter: { userId: 'u04' },
  ...extra,
});
const lane = (rules: OperatorRule[], extra: Partial<LaneOperators> = {}): LaneOperators => ({
  laneId: 'L_check',
  laneName: 'Check',
  allocation: 'offer',
  rules,
  exclusions: [],
  ...extra,
});
export const ids = (r: Resolution): string[] => {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.candidates.map((c) => c.id);
};
const errorsOf = (r: Resolution) =>
  r.ok ? [] : r.errors.map((e) => ({ code: e.code, rule: e.rule, message: e.message }));
const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();

/**
 * Every swimlane rule against a directory holding the seed org chart (org-chart.ts): run with
 * the in-memory directory (resolve.test.ts) and with the stored one on both dialects
 * (store-directory.test.ts), so each rule is proven against the stored org chart too.
 */
export function swimlaneRules(load: () => Directory | Promise<Directory>): void {
  let dir: Directory;
  beforeEach(async () => {
    dir = await load();
  });

  describe('rule: a user', () => {
    it('names the user', () => {
      expect(ids(resolveLane(dir, lane([{ kind: 'user', user: 'u05' }]), ctx()))).toEqual(['u05']);
    });
    it('an unknown user is an error naming lane and rule', () => {
      expect(errorsOf(resolveLane(dir, lane([{ kind: 'user', user: 'nobody' }]), ctx()))).toEqual([
        { code: 'UNKNOWN_USER', rule: 1, message: 'lane L_check (Check), rule 1 (user): no user "nobody"' },
      ]);
    });
  });

  describe('rule: members of an organization', () => {
    it('any position, without sub-organizations (suspended users dropped)', () => {
      expect(
        ids(resolveLane(dir, lane([{ kind: 'organization', organization: 'sales-tokyo' }]), ctx())),
      ).toEqual(['u03', 'u04', 'u05', 'u06', 'u07', 'u31']);
      expect(ids(resolveLane(dir, lane([{ kind: 'organization', organization: 'sales' }]), ctx()))).toEqual([
        'u02',
      ]);
    });
    it('leaders only / members only', () => {
      const leaders = resolveLane(
        dir,
        lane([{ kind: 'organization', organization: 'sales-osaka', position: 'leader' }]),
        ctx(),
      );
      expect(ids(leaders)).toEqual(['u08']);
      const members = resolveLane(
        dir,
        lane([{ kind: 'organization', organization: 'sales-osaka', position: 'member' }]),
        ctx(),
      );
      expect(ids(members)).toEqual(['u09', 'u10', 'u11']);
    });
    it('with sub-organizations, at every depth', () => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'organization', organization: 'eng', includeSubOrganizations: true }]),
        ctx(),
      );
      expect(ids(r)).toEqual(
        sorted([
          'u12',
          ...seedMembers('eng-platform'),
          ...seedMembers('eng-apps'),
          ...seedMembers('eng-apps-mobile'),
        ]),
      );
    });
    it('with sub-organizations, leaders only', () => {
      const r = resolveLane(
        dir,
        lane([
          { kind: 'organization', organization: 'corp', includeSubOrganizations: true, position: 'leader' },
        ]),
        ctx(),
      );
      expect(ids(r)).toEqual(['u01', 'u02', 'u03', 'u08', 'u12', 'u13', 'u21', 'u24', 'u25', 'u28', 'u33']);
    });
    it('an unknown organization is an error', () => {
      expect(
        errorsOf(resolveLane(dir, lane([{ kind: 'organization', organization: 'marketing' }]), ctx()))[0],
      ).toMatchObject({
        code: 'UNKNOWN_ORGANIZATION',
        rule: 1,
      });
    });
  });

  describe('rule: App authorities', () => {
    it('App administrators: a user and a role', () => {
      expect(
        ids(resolveLane(dir, lane([{ kind: 'authority', authority: 'appAdministrator' }]), ctx())),
      ).toEqual(['u01', 'u02', 'u12', 'u24']);
    });
    it('process managers: an organization’s leaders', () => {
      expect(
        ids(resolveLane(dir, lane([{ kind: 'authority', authority: 'processManager' }]), ctx())),
      ).toEqual(['u28']);
    });
    it('data viewers: an organization with its sub-organizations', () => {
      expect(ids(resolveLane(dir, lane([{ kind: 'authority', authority: 'dataViewer' }]), ctx()))).toEqual([
        'u24',
        'u25',
        'u26',
        'u27',
        'u28',
        'u29',
        'u30',
        'u33',
      ]);
    });
    it('an App without grants has no candidates', () => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'authority', authority: 'processManager' }]),
        ctx({ appId: 'other' }),
      );
      expect(errorsOf(r)[0]!.code).toBe('NO_CANDIDATES');
    });
  });

  describe('rule: the user or organization in a data item', () => {
    const items = {
      q_owner: { type: 'user' },
      q_dept: { type: 'organization' },
      q_title: { type: 'string' },
    };
    it('a user item (object or id)', () => {
      const rules: OperatorRule[] = [{ kind: 'item', item: 'q_owner' }];
      expect(
        ids(resolveLane(dir, lane(rules), ctx({ items, data: { q_owner: { id: 'u10', name: 'x' } } }))),
      ).toEqual(['u10']);
      expect(ids(resolveLane(dir, lane(rules), ctx({ items, data: { q_owner: 'u11' } })))).toEqual(['u11']);
    });
    it('an organization item: its members, with position and sub-organizations', () => {
      const data = { q_dept: { id: 'admin' } };
      expect(ids(resolveLane(dir, lane([{ kind: 'item', item: 'q_dept' }]), ctx({ items, data })))).toEqual([
        'u24',
      ]);
      const r = resolveLane(
        dir,
        lane([{ kind: 'item', item: 'q_dept', includeSubOrganizations: true, position: 'leader' }]),
        ctx({ items, data }),
      );
      expect(ids(r)).toEqual(['u24', 'u25', 'u28', 'u33']);
    });
    it('without item types, the value says whether it is a user or an organization', () => {
      expect(
        ids(resolveLane(dir, lane([{ kind: 'item', item: 'q_x' }]), ctx({ data: { q_x: 'finance' } }))),
      ).toEqual(['u28', 'u29', 'u30']);
    });
    it('errors: empty item, unknown user, not a person item, unknown item', () => {
      expect(
        errorsOf(resolveLane(dir, lane([{ kind: 'item', item: 'q_owner' }]), ctx({ items, data: {} }))),
      ).toEqual([
        {
          code: 'ITEM_EMPTY',
          rule: 1,
          message: 'lane L_check (Check), rule 1 (item): data item "q_owner" holds no user',
        },
      ]);
      expect(
        errorsOf(
          resolveLane(
            dir,
            lane([{ kind: 'item', item: 'q_owner' }]),
            ctx({ items, data: { q_owner: 'zz' } }),
          ),
        )[0]!.code,
      ).toBe('UNKNOWN_USER');
      expect(
        errorsOf(
          resolveLane(dir, lane([{ kind: 'item', item: 'q_dept' }]), ctx({ items, data: { q_dept: 'zz' } })),
        )[0]!.code,
      ).toBe('UNKNOWN_ORGANIZATION');
      expect(
        errorsOf(
          resolveLane(
            dir,
            lane([{ kind: 'item', item: 'q_title' }]),
            ctx({ items, data: { q_title: 'u01' } }),
          ),
        )[0]!.code,
      ).toBe('ITEM_NOT_PERSON');
      expect(
        errorsOf(resolveLane(dir, lane([{ kind: 'item', item: 'q_nope' }]), ctx({ items })))[0]!.code,
      ).toBe('UNKNOWN_ITEM');
    });
  });

  describe('rule: relative to another lane’s operator (or the starter)', () => {
    const ops = { L_apply: [{ userId: 'u06' }, { userId: 'u05' }] }; // u05 operated last
    it('the same user (the latest operator of that lane)', () => {
      expect(
        ids(
          resolveLane(
            dir,
            lane([{ kind: 'relation', lane: 'L_apply', relation: 'sameUser' }]),
            ctx({ laneOperators: ops }),
          ),
        ),
      ).toEqual(['u05']);
    });
    it('the same organization, with a position', () => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'relation', lane: 'L_apply', relation: 'sameOrganization', position: 'member' }]),
        ctx({ laneOperators: ops }),
      );
      expect(ids(r)).toEqual(['u04', 'u05', 'u06', 'u07', 'u31']);
    });
    it('the parent organization’s leaders', () => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'relation', lane: 'L_apply', relation: 'parentOrganization', position: 'leader' }]),
        ctx({ laneOperators: ops }),
      );
      expect(ids(r)).toEqual(['u02']);
    });
    it('the upper organization: the nearest one above with a matching member', () => {
      // u22 is in eng-apps-mobile; its parent eng-apps has no leader: the leader of eng answers
      const r = resolveLane(
        dir,
        lane([{ kind: 'relation', lane: 'L_apply', relation: 'upperOrganization', position: 'leader' }]),
        ctx({ laneOperators: { L_apply: [{ userId: 'u22' }] } }),
      );
      expect(ids(r)).toEqual(['u12']);
    });
    it.each([
      ['a member: the leader of the same organization', 'u04', undefined, ['u03']],
      ['a leader: the leader of the organization above', 'u03', undefined, ['u02']],
      ['in an organization without a leader: the next leader above', 'u18', undefined, ['u12']],
      ['the only member and leader: the leader above', 'u33', undefined, ['u24']],
      ['at the top: no boss', 'u01', undefined, []],
      ['in two organizations, acting for the second', 'u31', 'eng-platform', ['u13']],
      ['in two organizations, the primary one by default', 'u31', undefined, ['u03']],
    ])('the starter’s boss: %s', (_name, starter, org, expected) => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'relation', relation: 'boss' }]),
        ctx({ starter: org ? { userId: starter, organizationId: org } : { userId: starter } }),
      );
      if (expected.length === 0) expect(errorsOf(r)[0]!.code).toBe('NO_CANDIDATES');
      else expect(ids(r)).toEqual(expected);
    });
    it('relative to the starter: the same organization', () => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'relation', relation: 'sameOrganization', position: 'leader' }]),
        ctx({ starter: { userId: 'u29' } }),
      );
      expect(ids(r)).toEqual(['u28']);
    });
    it('errors: a lane no one operated yet, an unknown lane, no starter', () => {
      expect(
        errorsOf(
          resolveLane(dir, lane([{ kind: 'relation', lane: 'L_pay', relation: 'sameUser' }]), ctx()),
        )[0],
      ).toMatchObject({
        code: 'NO_OPERATOR_YET',
        message:
          'lane L_check (Check), rule 1 (relation): relative to lane "L_pay", which no one has operated yet',
      });
      expect(
        errorsOf(
          resolveLane(dir, lane([{ kind: 'relation', lane: 'L_zzz', relation: 'sameUser' }]), ctx()),
        )[0]!.code,
      ).toBe('UNKNOWN_LANE');
      const noStarter = { appId: 'expense' };
      expect(
        errorsOf(resolveLane(dir, lane([{ kind: 'relation', relation: 'boss' }]), noStarter))[0]!.code,
      ).toBe('NO_OPERATOR_YET');
    });
  });

  describe('rule: a role', () => {
    it('its members', () => {
      expect(ids(resolveLane(dir, lane([{ kind: 'role', role: 'auditor' }]), ctx()))).toEqual(['u29', 'u34']);
    });
    it('an unknown role is an error; an empty role leaves no candidates', () => {
      expect(errorsOf(resolveLane(dir, lane([{ kind: 'role', role: 'ghost' }]), ctx()))[0]!.code).toBe(
        'UNKNOWN_ROLE',
      );
      expect(errorsOf(resolveLane(dir, lane([{ kind: 'role', role: 'empty' }]), ctx()))[0]!.code).toBe(
        'NO_CANDIDATES',
      );
    });
  });

  describe('exclusions', () => {
    const rules: OperatorRule[] = [{ kind: 'organization', organization: 'sales-tokyo' }];
    it('removes every operator of the excluded lane', () => {
      const r = resolveLane(
        dir,
        lane(rules, { exclusions: ['L_apply'] }),
        ctx({ laneOperators: { L_apply: [{ userId: 'u04' }, { userId: 'u03' }] } }),
      );
      expect(ids(r)).toEqual(['u05', 'u06', 'u07', 'u31']);
    });
    it('a lane not operated yet excludes no one; an unknown lane is an error', () => {
      expect(ids(resolveLane(dir, lane(rules, { exclusions: ['L_pay'] }), ctx())).length).toBe(6);
      expect(errorsOf(resolveLane(dir, lane(rules, { exclusions: ['L_zzz'] }), ctx()))[0]!.code).toBe(
        'UNKNOWN_LANE',
      );
    });
    it('the starter’s boss, but not the applicant (who may be a leader himself)', () => {
      const r = resolveLane(
        dir,
        lane(
          [
            { kind: 'relation', relation: 'boss' },
            { kind: 'relation', relation: 'sameOrganization', position: 'leader' },
          ],
          { exclusions: ['L_apply'] },
        ),
        ctx({ starter: { userId: 'u03' }, laneOperators: { L_apply: [{ userId: 'u03' }] } }),
      );
      expect(ids(r)).toEqual(['u02']);
    });
    it('everyone excluded: NO_CANDIDATES names the lane', () => {
      const r = resolveLane(
        dir,
        lane([{ kind: 'user', user: 'u05' }], { exclusions: ['L_apply'] }),
        ctx({ laneOperators: { L_apply: [{ userId: 'u05' }] } }),
      );
      expect(errorsOf(r)).toEqual([
        {
          code: 'NO_CANDIDATES',
          rule: undefined,
          message:
            'lane L_check (Check): no one is left to do the task (after exclusions and suspended users)',
        },
      ]);
    });
  });

  describe('combinations, allocation, order', () => {
    it('rules are alternatives: united, each user once, sorted by id', () => {
      const r = resolveLane(
        dir,
        lane([
          { kind: 'role', role: 'safety' },
          { kind: 'user', user: 'u14' },
          { kind: 'organization', organization: 'finance', position: 'leader' },
        ]),
        ctx(),
      );
      expect(ids(r)).toEqual(['u14', 'u22', 'u28']);
      expect(r).toMatchObject({ mode: 'offer' });
    });
    it('any rule error fails the lane, listing every error', () => {
      const r = resolveLane(
        dir,
        lane([
          { kind: 'user', user: 'ghost' },
          { kind: 'user', user: 'u05' },
          { kind: 'role', role: 'ghost' },
        ]),
        ctx(),
      );
      expect(errorsOf(r).map((e) => [e.code, e.rule])).toEqual([
        ['UNKNOWN_USER', 1],
        ['UNKNOWN_ROLE', 3],
      ]);
    });
    it('no rules: NO_RULES', () => {
      expect(errorsOf(resolveLane(dir, lane([]), ctx()))[0]!.code).toBe('NO_RULES');
    });
    it('one candidate: allocated to them', () => {
      const r = resolveLane(dir, lane([{ kind: 'user', user: 'u05' }]), ctx());
      expect(r).toMatchObject({ ok: true, mode: 'allocated', allocatedTo: { id: 'u05' } });
    });
    it('one user for all tasks of the lane: the first operator keeps them', () => {
      const rules: OperatorRule[] = [{ kind: 'organization', organization: 'finance' }];
      const first = resolveLane(dir, lane(rules, { allocation: 'oneUser' }), ctx());
      expect(first).toMatchObject({ ok: true, mode: 'offer' });
      const again = resolveLane(
        dir,
        lane(rules, { allocation: 'oneUser' }),
        ctx({ laneOperators: { L_check: [{ userId: 'u29' }, { userId: 'u30' }] } }),
      );
      expect(again).toMatchObject({
        ok: true,
        mode: 'allocated',
        allocatedTo: { id: 'u29' },
        candidates: [{ id: 'u29' }],
      });
      // the first operator is no longer a candidate (excluded): offered to the others
      const gone = resolveLane(
        dir,
        lane(rules, { allocation: 'oneUser', exclusions: ['L_pay'] }),
        ctx({ laneOperators: { L_check: [{ userId: 'u29' }], L_pay: [{ userId: 'u29' }] } }),
      );
      expect(ids(gone)).toEqual(['u28', 'u30']);
      // offer mode ignores who did the lane before
      const offer = resolveLane(dir, lane(rules), ctx({ laneOperators: { L_check: [{ userId: 'u29' }] } }));
      expect(ids(offer)).toEqual(['u28', 'u29', 'u30']);
    });
    it('team lanes go to every candidate', () => {
      const r = resolveLane(dir, lane([{ kind: 'organization', organization: 'hr' }], { team: true }), ctx());
      expect(r).toMatchObject({ ok: true, mode: 'team' });
      expect(ids(r)).toEqual(['u25', 'u26', 'u27']);
    });
    it('the candidates do not depend on the order of rules', () => {
      const pool: OperatorRule[] = [
        { kind: 'user', user: 'u05' },
        { kind: 'organization', organization: 'eng', includeSubOrganizations: true, position: 'leader' },
        { kind: 'role', role: 'auditor' },
        { kind: 'authority', authority: 'processManager' },
        { kind: 'relation', relation: 'boss' },
        { kind: 'relation', lane: 'L_apply', relation: 'parentOrganization' },
      ];
      fc.assert(
        fc.property(fc.shuffledSubarray(pool, { minLength: 1 }), (rules) => {
          const c = ctx({ laneOperators: { L_apply: [{ userId: 'u26' }] } });
          const a = ids(resolveLane(dir, lane(rules), c));
          const b = ids(resolveLane(dir, lane([...rules].reverse()), c));
          expect(a).toEqual(b);
          expect(a).toEqual([...a].sort());
        }),
      );
    });
    it('a directory that throws still gives a typed result', () => {
      const broken = new InMemoryDirectory(SEED);
      broken.role = () => {
        throw new Error('connection lost');
      };
      const r = resolveLane(broken, lane([{ kind: 'role', role: 'auditor' }]), ctx());
      expect(errorsOf(r)).toEqual([
        {
          code: 'DIRECTORY_FAILED',
          rule: 1,
          message: 'lane L_check (Check), rule 1 (role): the directory failed: connection lost',
        },
      ]);
    });
  });
}
