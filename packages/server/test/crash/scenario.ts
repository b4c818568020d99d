/**
 * The crash scenario both variants run: deploy an app whose automated step calls the
 * receiver through the `http` connector, start issues from this process (a runtime with no
 * worker, on the same database as the `nagare serve` nodes) while SIGKILLing a node at
 * seeded random moments and starting it again, then wait (bounded) for every issue to end
 * and read the end state.
 */
import { createRuntime } from '../../src/runtime/runtime.js';
import type { Store } from '../../src/store/database.js';
import { automated } from '../support/runtime.js';
import {
  countCompleted,
  type EndState,
  Receiver,
  readEndState,
  type ServeNode,
  seededRandom,
  sleep,
} from './harness.js';

export interface CrashOptions {
  readonly label: string;
  /** This process's store on the nodes' database (migrated). */
  readonly store: Store;
  readonly nodes: readonly ServeNode[];
  readonly seed: number;
  readonly issues: number;
  readonly kills: number;
  /** Issues are started evenly over this window, so work keeps arriving while nodes die. */
  readonly startWindowMs: number;
  /** A kill comes this long (uniformly random in the range) after the victim was ready. */
  readonly killGapMs: readonly [number, number];
  /** After the last kill, the work must be over within this (a killed node's leases last 60 s). */
  readonly settleWithinMs: number;
}

export interface KillRecord {
  readonly at: number;
  readonly node: string;
  readonly started: number;
  readonly completed: number;
  readonly calls: number;
  readonly restartMs: number;
}

export interface CrashReport {
  readonly end: EndState;
  readonly receiver: Receiver;
  readonly kills: readonly KillRecord[];
  readonly started: number;
  readonly lastKillAt: number;
  readonly doneAt: number | undefined;
  readonly totalMs: number;
  readonly problems: readonly string[];
}

export async function runCrashScenario(o: CrashOptions): Promise<CrashReport> {
  const log = (line: string) => console.log(`[crash ${o.label}] ${line}`);
  log(`seed ${o.seed} (replay: NAGARE_CRASH_SEED=${o.seed} npm run test:crash)`);
  const killRandom = seededRandom(o.seed);
  const delayRandom = seededRandom(o.seed ^ 0x9e3779b9);
  const receiver = new Receiver();
  await receiver.start(() => 20 + Math.floor(delayRandom() * 280));
  const runtime = createRuntime(o.store);
  const t0 = Date.now();
  const since = () => Date.now() - t0;
  try {
    const { appId } = await runtime.deploy({ bpmn: automated('http', { url: receiver.url }) });
    await Promise.all(o.nodes.map((n) => n.start()));
    log(`${o.nodes.length} node(s) ready after ${since()} ms`);

    let started = 0;
    const starting = (async () => {
      const chunk = 20;
      const begin = Date.now();
      while (started < o.issues) {
        const n = Math.min(chunk, o.issues - started);
        await Promise.all(Array.from({ length: n }, () => runtime.startIssue({ appId })));
        started += n;
        const due = begin + (started / o.issues) * o.startWindowMs;
        if (due > Date.now()) await sleep(due - Date.now());
      }
    })();

    const kills: KillRecord[] = [];
    const killing = (async () => {
      for (let k = 0; k < o.kills; k++) {
        const victim = o.nodes[Math.floor(killRandom() * o.nodes.length)]!;
        const [lo, hi] = o.killGapMs;
        await sleep(lo + Math.floor(killRandom() * (hi - lo)));
        const completed = await countCompleted(o.store, appId);
        const at = since();
        const calls = receiver.total;
        const startedThen = started;
        await victim.kill();
        const restartMs = await victim.start();
        kills.push({ at, node: victim.name, started: startedThen, completed, calls, restartMs });
        log(
          `kill ${k + 1}/${o.kills} of ${victim.name} at ${at} ms: ${startedThen} started, ${completed} completed, ${calls} calls; ready again in ${restartMs} ms`,
        );
      }
    })();

    await Promise.all([starting, killing]);
    const lastKillAt = kills.at(-1)?.at ?? since();
    log(`all ${started} issues started by ${since()} ms; last kill at ${lastKillAt} ms`);

    let doneAt: number | undefined;
    let lastReport = 0;
    const deadline = t0 + lastKillAt + o.settleWithinMs;
    while (Date.now() < deadline) {
      const completed = await countCompleted(o.store, appId);
      if (completed >= o.issues) {
        doneAt = since();
        break;
      }
      if (since() - lastReport >= 10_000) {
        lastReport = since();
        log(`${since()} ms: ${completed} completed`);
      }
      await sleep(250);
    }
    log(doneAt === undefined ? `not done within the bound` : `all completed at ${doneAt} ms`);
    await Promise.all(o.nodes.map((n) => n.stop()));
    const end = await readEndState(runtime, appId, 'call');
    log(
      `end: ${JSON.stringify(end.byStatus)}, ended once ${end.endedOnce}, twice ${end.endedTwice}; jobs ${end.jobs}, open tasks ${end.openTasks}, incidents ${end.incidents}; receiver ${receiver.calls.size} keys, ${receiver.total} calls, ${receiver.duplicates} duplicates`,
    );
    const problems = o.nodes.flatMap((n) => n.problems);
    const byMessage = new Map<string, number>();
    for (const line of problems) {
      let msg = line.trim().slice(0, 120);
      try {
        msg = String((JSON.parse(line) as { msg?: unknown }).msg ?? msg);
      } catch {}
      byMessage.set(msg, (byMessage.get(msg) ?? 0) + 1);
    }
    log(
      `node log lines at warn and above: ${problems.length} ${JSON.stringify(Object.fromEntries(byMessage))}`,
    );
    return {
      end,
      receiver,
      kills,
      started,
      lastKillAt,
      doneAt,
      totalMs: since(),
      problems,
    };
  } finally {
    await Promise.all(o.nodes.map((n) => n.kill()));
    await runtime.close();
    await receiver.close();
  }
}

/** What every crash run must show (the acceptance criteria of issue 4). */
export function checkCrashSafe(r: CrashReport, issues: number, kills: number): string[] {
  const failures: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  expect(r.kills.length === kills, `${kills} kills (got ${r.kills.length})`);
  for (const k of r.kills) expect(k.completed < issues, `kill at ${k.at} ms landed during work`);
  expect(r.doneAt !== undefined, 'all issues completed within the bound');
  expect(r.end.issues === issues, `${issues} issues (got ${r.end.issues})`);
  expect(r.end.byStatus.completed === issues, `all completed (got ${JSON.stringify(r.end.byStatus)})`);
  expect(r.end.endedOnce === issues, `one IssueEnded each (got ${r.end.endedOnce})`);
  expect(r.end.endedTwice === 0, `no issue ended twice (got ${r.end.endedTwice})`);
  expect(r.end.succeededOnce === issues, `one JobSucceeded each (got ${r.end.succeededOnce})`);
  expect(r.end.jobs === 0, `no job left (got ${r.end.jobs})`);
  expect(r.end.openTasks === 0, `no open task (got ${r.end.openTasks})`);
  expect(r.end.incidents === 0, `no incident (got ${r.end.incidents})`);
  expect(r.end.jobKeys.size === issues, `one HTTP job per issue (got ${r.end.jobKeys.size})`);
  expect(r.receiver.missingKey === 0, `every call carried a key (${r.receiver.missingKey} did not)`);
  const unknown = [...r.receiver.calls.keys()].filter((k) => !r.end.jobKeys.has(k));
  expect(
    unknown.length === 0,
    `every key the receiver saw is an HTTP job's issueId:seq (${unknown.length} not)`,
  );
  const unseen = [...r.end.jobKeys].filter((k) => !r.receiver.calls.has(k));
  expect(unseen.length === 0, `the receiver saw every job's key (${unseen.length} missing)`);
  return failures;
}
