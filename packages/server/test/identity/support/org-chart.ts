/**
 * A realistic seed org chart for identity tests: 4 levels, 34 users, leaders and members,
 * a user in two organizations, a suspended user, an organization without a leader, an
 * organization whose only member is its leader, roles and App authorities.
 *
 * corp (u01)
 * ├─ sales (u02)
 * │  ├─ sales-tokyo (u03; u04 u05 u06 u07 u31 u32-suspended)
 * │  └─ sales-osaka (u08; u09 u10 u11)
 * ├─ eng (u12)
 * │  ├─ eng-platform (u13; u14 u15 u16 u17 u31)
 * │  └─ eng-apps (no leader; u18 u19 u20)
 * │     └─ eng-apps-mobile (u21; u22 u23)
 * └─ admin (u24)
 *    ├─ hr (u25; u26 u27)
 *    ├─ finance (u28; u29 u30)
 *    └─ legal (u33, alone)
 * u34: no organization (a contractor), role auditor.
 */
import type { DirectorySeed, DirectoryUser, Membership, Position } from '../../../src/index.js';

const NAMES = [
  'Sato Haruto',
  'Suzuki Yui',
  'Takahashi Ren',
  'Tanaka Hina',
  'Ito Sota',
  'Watanabe Mio',
  'Yamamoto Yuto',
  'Nakamura Aoi',
  'Kobayashi Riku',
  'Kato Sakura',
  'Yoshida Minato',
  'Yamada Yuna',
  'Sasaki Itsuki',
  'Yamaguchi Akari',
  'Matsumoto Hayato',
  'Inoue Rin',
  'Kimura Kaito',
  'Hayashi Mei',
  'Shimizu Asahi',
  'Yamazaki Koharu',
  'Mori Haruki',
  'Abe Tsumugi',
  'Ikeda Yamato',
  'Hashimoto Ema',
  'Yamashita Sora',
  'Ishikawa Honoka',
  'Nakajima Takumi',
  'Maeda Kanna',
  'Fujita Yuma',
  'Ogawa Riko',
  'Goto Kota',
  'Okada Nanami',
  'Hasegawa Shota',
  'Murakami Airi',
];

const id = (n: number): string => `u${String(n).padStart(2, '0')}`;

const ORG: [string, string, string | undefined, number[], number[]][] = [
  // id, name, parent, leaders, members
  ['corp', 'Nagare Corp', undefined, [1], []],
  ['sales', 'Sales', 'corp', [2], []],
  ['sales-tokyo', 'Sales Tokyo', 'sales', [3], [4, 5, 6, 7, 31, 32]],
  ['sales-osaka', 'Sales Osaka', 'sales', [8], [9, 10, 11]],
  ['eng', 'Engineering', 'corp', [12], []],
  ['eng-platform', 'Platform', 'eng', [13], [14, 15, 16, 17, 31]],
  ['eng-apps', 'Apps', 'eng', [], [18, 19, 20]],
  ['eng-apps-mobile', 'Mobile', 'eng-apps', [21], [22, 23]],
  ['admin', 'Administration', 'corp', [24], []],
  ['hr', 'Human Resources', 'admin', [25], [26, 27]],
  ['finance', 'Finance', 'admin', [28], [29, 30]],
  ['legal', 'Legal', 'admin', [33], []],
];

const memberships: Membership[] = [];
const primary = new Map<string, string>();
for (const [org, , , leaders, members] of ORG) {
  const add = (n: number, position: Position): void => {
    memberships.push({ userId: id(n), organizationId: org, position });
    if (!primary.has(id(n))) primary.set(id(n), org);
  };
  for (const n of leaders) add(n, 'leader');
  for (const n of members) add(n, 'member');
}

const users: DirectoryUser[] = NAMES.map((name, i) => {
  const uid = id(i + 1);
  const [family = '', given = ''] = name.toLowerCase().split(' ');
  const u: { -readonly [K in keyof DirectoryUser]: DirectoryUser[K] } = {
    id: uid,
    name,
    email: `${given}.${family}@nagare.example`,
  };
  const p = primary.get(uid);
  if (p) u.primaryOrganization = p;
  if (uid === 'u32') u.active = false;
  return u;
});

export const SEED: DirectorySeed = {
  users,
  organizations: ORG.map(([oid, name, parent]) =>
    parent === undefined
      ? { id: oid, name, email: `${oid}@nagare.example` }
      : { id: oid, name, parent, email: `${oid}@nagare.example` },
  ),
  memberships,
  roles: [
    { id: 'auditor', name: 'Auditor', members: ['u29', 'u34'] },
    { id: 'safety', name: 'Safety officer', members: ['u22', 'u14'] },
    { id: 'approver', name: 'Large-amount approver', members: ['u24', 'u02', 'u12'] },
    { id: 'empty', name: 'Nobody yet', members: [] },
  ],
  authorities: {
    expense: {
      appAdministrator: [
        { kind: 'user', user: 'u01' },
        { kind: 'role', role: 'approver' },
      ],
      processManager: [{ kind: 'organization', organization: 'finance', position: 'leader' }],
      dataViewer: [{ kind: 'organization', organization: 'admin', includeSubOrganizations: true }],
    },
  },
};

/** The user ids of an organization's members in the seed (for expectations). */
export function seedMembers(org: string, position?: Position): string[] {
  return memberships
    .filter((m) => m.organizationId === org && (position === undefined || m.position === position))
    .map((m) => m.userId);
}
