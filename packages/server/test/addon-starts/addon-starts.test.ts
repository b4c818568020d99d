/**
 * Start events with an add-on, through the runtime on a real store (SQLite and PostgreSQL): a
 * polling add-on starts one issue per new item with its data mapped, and an id never starts two;
 * a timer add-on starts one issue per listed id when its timer is due, one round after downtime;
 * two nodes (one whose lease ran out while its script ran) commit a round once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { openRuntime, type TestRuntime } from '../support/runtime.js';
import {
  addonConnectors,
  addonStartApp,
  importTestAddon,
  type Mailbox,
  openMailbox,
  POLLING_ADDON,
  TIMER_ADDON,
} from './support.js';

let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await openMailbox();
});
afterAll(() => mailbox.close());

// T0 (the release) is 2026-01-05T09:00Z; the first poll is due five minutes later.
const MESSAGES = [
  { id: 'm1', at: '2026-01-05T09:01:00Z', subject: 'Order 1' },
  { id: 'm2', at: '2026-01-05T09:02:00Z', subject: 'Order 2' },
  { id: 'old', at: '2026-01-05T08:00:00Z', subject: 'before the release' },
];

async function issues(t: TestRuntime) {
  const rows = await t.store.db.selectFrom('issue').select(['id', 'state']).orderBy('started_at').execute();
  return rows.map((r) => JSON.parse(r.state) as { data: Record<string, unknown>; waits: unknown });
}

function row(t: TestRuntime) {
  return t.store.db.selectFrom('timer_start').selectAll().executeTakeFirstOrThrow();
}

describeEachDialect('start-event add-ons', ({ dialect, config }) => {
  async function open(clockFrom?: TestRuntime): Promise<TestRuntime> {
    let t: TestRuntime | undefined;
    t = await openRuntime(config(), {
      connectors: addonConnectors(() => t!.store),
      ...(clockFrom ? { clock: clockFrom.clock } : {}),
    });
    return t;
  }

  const pollingApp = (askEngine = 'false', attrs = '') =>
    addonStartApp(
      'mail-received',
      {
        conf_Url: mailbox.url,
        conf_AskEngine: askEngine,
        conf_idData: 'q_id',
        conf_timestampData: 'q_at',
        conf_subjectData: 'q_subject',
      },
      { attrs },
    );

  it('polling: one issue per new item, its data mapped; the same ids again start none', async () => {
    const t = await open();
    try {
      mailbox.messages = [...MESSAGES];
      await importTestAddon(t.store, 'mail-received', POLLING_ADDON);
      const { appId } = await t.runtime.deploy({ bpmn: pollingApp() });
      expect(await row(t)).toMatchObject({
        app_id: appId,
        node: 'auto',
        next_at: '2026-01-05T09:05:00.000Z',
      });
      expect(await t.runtime.runTimerStarts()).toBe(0); // not due yet

      t.clock.set('2026-01-05T09:05:00.000Z');
      const before = mailbox.requests.length;
      expect(await t.runtime.runTimerStarts()).toBe(2);
      // the first poll's lower limit is the release
      expect(mailbox.requests[before]?.searchParams.get('since')).toBe('2026-01-05T09:00:00Z');
      const started = await issues(t);
      expect(started.map((s) => s.data)).toEqual([
        { q_id: 'm1', q_at: '2026-01-05T09:01:00.000Z', q_subject: 'Order 1' },
        { q_id: 'm2', q_at: '2026-01-05T09:02:00.000Z', q_subject: 'Order 2' },
      ]);
      expect(started[0]?.waits).toMatchObject({ 1: { kind: 'task', node: 'handle' } });
      const items = await t.store.db.selectFrom('addon_start_item').selectAll().orderBy('item_id').execute();
      expect(items.map((i) => [i.item_id, i.item_at])).toEqual([
        ['m1', '2026-01-05T09:01:00.000Z'],
        ['m2', '2026-01-05T09:02:00.000Z'],
      ]);
      expect(await row(t)).toMatchObject({ next_at: '2026-01-05T09:10:00.000Z', fired: 1, last_error: null });

      // The next poll lists m2 again (its timestamp is the lower limit) and a new m3: only m3 starts.
      mailbox.messages.push({ id: 'm3', at: '2026-01-05T09:07:00Z', subject: 'Order 3' });
      t.clock.set('2026-01-05T09:10:00.000Z');
      const second = mailbox.requests.length;
      expect(await t.runtime.runTimerStarts()).toBe(1);
      expect(mailbox.requests[second]?.searchParams.get('since')).toBe('2026-01-05T09:02:00Z');
      expect((await issues(t)).map((s) => s.data.q_id)).toEqual(['m1', 'm2', 'm3']);

      // A third poll with nothing new starts nothing, and the row moves on.
      t.clock.set('2026-01-05T09:15:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(0);
      expect(await issues(t)).toHaveLength(3);
      expect(await row(t)).toMatchObject({ next_at: '2026-01-05T09:20:00.000Z', fired: 3 });
    } finally {
      await t.close();
    }
  });

  it("polling: engine.isProcessStarted answers from the start event's started ids", async () => {
    const t = await open();
    try {
      mailbox.messages = [MESSAGES[0]!];
      await importTestAddon(t.store, 'mail-received', POLLING_ADDON);
      await t.runtime.deploy({ bpmn: pollingApp('true', ' pollInterval="PT1M"') });
      t.clock.set('2026-01-05T09:01:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(1);
      const seen = () => mailbox.requests.filter((r) => r.pathname === '/inbox/seen').at(-1);
      expect(seen()?.searchParams.get('started')).toBe('');
      t.clock.set('2026-01-05T09:02:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(0);
      expect(seen()?.searchParams.get('started')).toBe('m1');
    } finally {
      await t.close();
    }
  });

  it('a failing poll commits nothing, records why, and the next poll starts the items', async () => {
    const t = await open();
    try {
      mailbox.messages = [MESSAGES[0]!];
      await importTestAddon(t.store, 'mail-received', POLLING_ADDON);
      await t.runtime.deploy({ bpmn: pollingApp().replace(mailbox.url, `${mailbox.url}-missing`) });
      t.clock.set('2026-01-05T09:05:00.000Z');
      const errors: unknown[] = [];
      expect(await t.runtime.runTimerStarts(undefined, undefined, (e) => errors.push(e))).toBe(0);
      const failed = await row(t);
      expect(failed.last_error).toMatch(/^SCRIPT_ERROR: /);
      expect(failed).toMatchObject({ fired: 0, next_at: '2026-01-05T09:10:00.000Z', locked_by: null });
      expect(errors).toHaveLength(1);
      expect(await issues(t)).toHaveLength(0);
    } finally {
      await t.close();
    }
  });

  it('a start event whose add-on is of the wrong kind is disarmed with the reason', async () => {
    const t = await open();
    try {
      await importTestAddon(t.store, 'codes', TIMER_ADDON);
      // a timer add-on on a plain start event
      await t.runtime.deploy({
        bpmn: addonStartApp('codes', { conf_Codes: 'a', conf_idData: 'q_id' }),
      });
      t.clock.set('2026-01-05T09:05:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(0);
      const r = await row(t);
      expect(r.next_at).toBeNull();
      expect(r.last_error).toBe(
        'ADDON_WRONG_TYPE: add-on "codes" is a timer start event: model it on a timer start event',
      );
    } finally {
      await t.close();
    }
  });

  it('timer: one issue per listed id when due; after downtime one round, not one per missed firing', async () => {
    const t = await open();
    try {
      await importTestAddon(t.store, 'codes', TIMER_ADDON);
      await t.runtime.deploy({
        bpmn: addonStartApp('codes', { conf_Codes: 'A, B, C', conf_idData: 'q_id' }, { timer: 'R/PT1H' }),
      });
      expect(await row(t)).toMatchObject({ next_at: '2026-01-05T10:00:00.000Z' });
      t.clock.set('2026-01-05T09:59:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(0);
      t.clock.set('2026-01-05T10:00:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(3);
      expect((await issues(t)).map((s) => s.data.q_id)).toEqual(['A', 'B', 'C']);
      expect(await t.runtime.runTimerStarts()).toBe(0);

      // down from 10:00 to 14:30: the 11:00 … 14:00 firings make one round
      t.clock.set('2026-01-05T14:30:00.000Z');
      expect(await t.runtime.runTimerStarts()).toBe(3);
      expect(await t.runtime.runTimerStarts()).toBe(0);
      expect(await issues(t)).toHaveLength(6);
      expect(await row(t)).toMatchObject({ next_at: '2026-01-05T15:00:00.000Z', fired: 2 });
      // a timer add-on's ids are not remembered: each round starts them again
      expect(await t.store.db.selectFrom('addon_start_item').selectAll().execute()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('two nodes: a node whose lease ran out while its script ran cannot commit; the round starts once', async () => {
    const a = await open();
    const b = await open(a);
    let release = () => {};
    try {
      mailbox.messages = MESSAGES.slice(0, 2);
      await importTestAddon(a.store, 'mail-received', POLLING_ADDON);
      await a.runtime.deploy({ bpmn: pollingApp() });
      a.clock.set('2026-01-05T09:05:00.000Z');
      mailbox.hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const requests = mailbox.requests.length;
      // node a claims the row (lease until 09:06) and its script waits for the mailbox
      const slow = a.runtime.runTimerStarts('node-a', 60_000);
      while (mailbox.requests.length === requests) await new Promise((r) => setTimeout(r, 20));
      mailbox.hold = undefined;
      // a's lease runs out; node b claims the row again and commits the round
      a.clock.set('2026-01-05T09:07:00.000Z');
      expect(await b.runtime.runTimerStarts('node-b', 60_000)).toBe(2);
      release();
      expect(await slow).toBe(0);
      expect((await issues(a)).map((s) => s.data.q_id).sort()).toEqual(['m1', 'm2']);
      expect(await a.store.db.selectFrom('addon_start_item').selectAll().execute()).toHaveLength(2);
      expect(await row(a)).toMatchObject({ fired: 1, locked_by: null });

      // and both polling at once later: the items started already start nothing
      mailbox.messages.push({ id: 'm4', at: '2026-01-05T09:09:00Z', subject: 'Order 4' });
      a.clock.set('2026-01-05T09:15:00.000Z');
      const counts = await Promise.all([
        a.runtime.runTimerStarts('node-a'),
        b.runtime.runTimerStarts('node-b'),
      ]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
      expect((await issues(a)).map((s) => s.data.q_id).sort()).toEqual(['m1', 'm2', 'm4']);
    } finally {
      release();
      mailbox.hold = undefined;
      await a.close();
      await b.close();
    }
  });

  it.skipIf(dialect !== 'sqlite')('a worker runs the rounds on its own', async () => {
    const t = await open();
    try {
      mailbox.messages = [MESSAGES[0]!];
      await importTestAddon(t.store, 'mail-received', POLLING_ADDON);
      await t.runtime.deploy({ bpmn: pollingApp() });
      t.clock.set('2026-01-05T09:05:00.000Z');
      const worker = t.runtime.createWorker({ pollMs: 20 });
      worker.start();
      const deadline = Date.now() + 20_000;
      while ((await issues(t)).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      await worker.stop();
      expect((await issues(t)).map((s) => s.data.q_id)).toEqual(['m1']);
    } finally {
      await t.close();
    }
  });
});
