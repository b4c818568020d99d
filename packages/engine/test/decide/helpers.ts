/** Test helpers: DI-less BPMN fixtures and a small driver around `decide`. */
import {
  type Command,
  type CompiledApp,
  compile,
  type DecideResult,
  decide,
  type IssueState,
} from '../../src/index.js';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0); // 2026-01-05T09:00:00Z, a Monday

/** Wraps process content in a definitions document with the bpmn, xsi and nagare namespaces. */
export function bpmn(content: string, opts: { items?: string; id?: string } = {}): string {
  const items = opts.items
    ? `<bpmn:extensionElements><nagare:dataItems>${opts.items}</nagare:dataItems></bpmn:extensionElements>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0"
  id="defs" targetNamespace="urn:test">
  <bpmn:process id="${opts.id ?? 'P'}" isExecutable="true">${items}${content}
  </bpmn:process>
</bpmn:definitions>`;
}

/** `a->b` sequence flows: `flows('start>t1', 'f2:t1>end')` (an explicit id before ':'). */
export function flows(...specs: string[]): string {
  return specs
    .map((s, i) => {
      const [id, rest] = s.includes(':') ? (s.split(':') as [string, string]) : [`f${i + 1}`, s];
      const [src, tgt] = rest.split('>') as [string, string];
      return `<bpmn:sequenceFlow id="${id}" sourceRef="${src}" targetRef="${tgt}"/>`;
    })
    .join('\n');
}

export function cond(id: string, src: string, tgt: string, feel: string): string {
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${src}" targetRef="${tgt}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${feel
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
}

export function updateData(id: string, assigns: Record<string, string>): string {
  const a = Object.entries(assigns)
    .map(
      ([item, e]) =>
        `<nagare:assign item="${item}" expression="${e.replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"/>`,
    )
    .join('');
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><nagare:automation type="updateData">${a}</nagare:automation></bpmn:extensionElements></bpmn:serviceTask>`;
}

export async function app(content: string, opts?: { items?: string }): Promise<CompiledApp> {
  return compile(bpmn(content, opts));
}

/** Drives one issue: each call applies a command at `now` and keeps the state. */
export class Driver {
  state: IssueState | null = null;
  now = T0;
  readonly history: DecideResult[] = [];
  constructor(readonly app: CompiledApp) {}
  run(command: Command, advanceMs = 0): DecideResult {
    this.now += advanceMs;
    const r = decide(this.app, this.state, command, { now: this.now });
    this.history.push(r);
    if (!r.rejection) this.state = r.state;
    return r;
  }
  start(
    data?: Record<string, unknown>,
    extra: Partial<Extract<Command, { type: 'StartIssue' }>> = {},
  ): DecideResult {
    return this.run({ type: 'StartIssue', issueId: 'I1', ...(data ? { data } : {}), ...extra });
  }
  /** Waits of the current state, by node id. */
  seqAt(node: string): number {
    const w = Object.values(this.state?.waits ?? {}).find((x) => x.node === node);
    if (!w) throw new Error(`no wait at ${node}: ${JSON.stringify(this.state?.waits)}`);
    return w.seq;
  }
  get events() {
    return this.history.flatMap((h) => h.events);
  }
}
