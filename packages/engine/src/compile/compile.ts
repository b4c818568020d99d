/**
 * compile(bpmnXml) → CompiledApp: reads one executable process, checks it, and precomputes
 * what `decide` needs on every step. Every element the engine does not run is refused with its
 * id and type; nothing is silently skipped (only artifacts and data objects, which do not run,
 * are ignored). All problems are collected and thrown together in one CompileError.
 */
import type { ParseBpmnOptions } from '../bpmn/guard.js';
import type { DataItemType, DataItemTypes } from '../expr/feel-values.js';
import type {
  AddonStartSpec,
  AutomationSpec,
  ButtonSpec,
  CompiledApp,
  CompiledExpr,
  CompiledFlow,
  CompiledNode,
  CompileProblem,
  DataItemSpec,
  LaneSpec,
  MessageStartSpec,
  MultiInstanceSpec,
  StepDeadline,
  TimerSpec,
  TimerStartSpec,
} from '../model/compiled-app.js';
import { dataItemType, typedInitialValue } from '../model/data-values.js';
import { durationBoundsMs, parseIsoDuration } from '../time/duration.js';
import { parseTimerDefinition, type TimerKind } from '../time/timer-definition.js';
import { CompileCodes as C, CompileError } from './compile-error.js';
import { conditionRowsFeel } from './condition-rows.js';
import { compileExpression, type ExprKind, translateJuel } from './expressions.js';
import { type ModdleLike, parseDefinitions } from './parse.js';
import { inclusiveReachability } from './reachability.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses, validates and compiles a BPMN document. Throws CompileError (or BpmnError from parsing). */
export async function compile(xml: string, options?: ParseBpmnOptions): Promise<CompiledApp> {
  const { definitions, warnings } = await parseDefinitions(xml, options);
  const app = compileDefinitions(definitions);
  if (warnings.length === 0) return app;
  const fromParse: CompileProblem[] = warnings.map((w) => {
    const p: Mutable<CompileProblem> = { severity: 'warning', code: w.code, message: w.message };
    if (w.elementId !== undefined) p.elementId = w.elementId;
    return p;
  });
  return { ...app, warnings: [...fromParse, ...app.warnings] };
}

const KIND: Record<'duration' | 'date' | 'cycle', TimerKind> = {
  duration: 'timeDuration',
  date: 'timeDate',
  cycle: 'timeCycle',
};

const FEEL_LANGUAGES = new Set([
  'feel',
  'http://www.omg.org/spec/feel/20140401',
  'https://www.omg.org/spec/dmn/20191111/feel/',
]);

const MI_ACTIVITIES = new Set([
  'bpmn:SubProcess',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:ScriptTask',
  'bpmn:BusinessRuleTask',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ReceiveTask',
]);

const TASK_JOB_TYPES = new Set([
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:ScriptTask',
  'bpmn:BusinessRuleTask',
]);

function arr(el: ModdleLike | undefined, prop: string): ModdleLike[] {
  const v = el?.[prop];
  return Array.isArray(v) ? (v as ModdleLike[]) : [];
}

function ext(el: ModdleLike, type: string): ModdleLike | undefined {
  const ee = el.extensionElements as ModdleLike | undefined;
  return arr(ee, 'values').find((v) => v.$type === type);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bodyOf(el: unknown): string | undefined {
  if (el && typeof el === 'object') return str((el as ModdleLike).body);
  return undefined;
}

const NOT_STARTED = new Set([
  'bpmn:SequenceFlow',
  'bpmn:BoundaryEvent',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

/**
 * BPMN's implicit start of a sub-process without a start event: every flow node without
 * incoming sequence flows starts, in document order — not boundary events, link catch events,
 * event sub-processes or compensation handlers.
 */
function implicitStarts(children: readonly ModdleLike[]): string[] {
  const targets = new Set<string>();
  for (const c of children) {
    if (c.$type === 'bpmn:SequenceFlow')
      targets.add(String((c.targetRef as ModdleLike | undefined)?.id ?? ''));
  }
  return children
    .filter((c) => {
      if (NOT_STARTED.has(c.$type) || targets.has(String(c.id))) return false;
      if (c.triggeredByEvent === true || c.isForCompensation === true) return false;
      return !arr(c, 'eventDefinitions').some((d) => d.$type === 'bpmn:LinkEventDefinition');
    })
    .map((c) => String(c.id));
}

/** Compiles an already-parsed bpmn-moddle `bpmn:Definitions` tree. */
export function compileDefinitions(definitions: ModdleLike): CompiledApp {
  const problems: CompileProblem[] = [];
  const warnings: CompileProblem[] = [];
  const problem = (code: string, message: string, el?: ModdleLike): void => {
    const p: Mutable<CompileProblem> = { severity: 'error', code, message };
    if (el?.id) p.elementId = String(el.id);
    if (el?.$type) p.elementType = el.$type;
    problems.push(p);
  };
  const warn = (code: string, message: string, el?: ModdleLike): void => {
    const p: Mutable<CompileProblem> = { severity: 'warning', code, message };
    if (el?.id) p.elementId = String(el.id);
    if (el?.$type) p.elementType = el.$type;
    warnings.push(p);
  };

  // --- the process -------------------------------------------------------------------------
  const processes = arr(definitions, 'rootElements').filter(
    (e) => e.$type === 'bpmn:Process' && arr(e, 'flowElements').length > 0,
  );
  let candidates = processes;
  if (processes.length > 1) candidates = processes.filter((p) => p.isExecutable === true);
  const proc = candidates[0];
  if (!proc) {
    problem(C.NoProcess, 'the document has no process with flow elements');
    throw new CompileError(problems);
  }
  if (candidates.length > 1) {
    problem(C.MultipleProcesses, 'more than one executable process; an App runs exactly one', candidates[1]);
  }

  // --- data items ----------------------------------------------------------------------------
  const dataItems: Record<string, DataItemSpec> = {};
  const types: Record<string, DataItemType> = {};
  for (const it of arr(ext(proc, 'nagare:DataItems'), 'items')) {
    const fieldName = str(it.fieldName);
    if (!fieldName) continue;
    const type = str(it.type) ?? 'string';
    const spec: Mutable<DataItemSpec> = { fieldName, type };
    if (str(it.name)) spec.name = str(it.name);
    if (typeof it.number === 'number') spec.number = it.number;
    const t = dataItemType(type);
    if (t) {
      types[fieldName] = t;
      spec.valueType = t;
    }
    const initial = str(it.initialValue);
    if (initial !== undefined) {
      const v = typedInitialValue(t, initial);
      if ('error' in v) problem(C.BadInitialValue, `data item "${fieldName}": initialValue ${v.error}`, proc);
      else spec.initialValue = v.value;
    }
    dataItems[fieldName] = spec;
  }
  const hasItems = Object.keys(dataItems).length > 0;
  const itemTypes: DataItemTypes | undefined = hasItems ? types : undefined;
  const checkItem = (item: string, el: ModdleLike): void => {
    if (hasItems && !dataItems[item])
      problem(C.UnknownDataItem, `no data item with field name "${item}"`, el);
  };

  const expr = (source: string, kind: ExprKind, el: ModdleLike, what: string): CompiledExpr | undefined => {
    const r = compileExpression(source, kind, itemTypes);
    if (!r.ok) {
      problem(C.BadExpression, `${what}: ${r.error}`, el);
      return undefined;
    }
    return r.expr;
  };

  // --- lanes -----------------------------------------------------------------------------------
  const lanes: Record<string, LaneSpec> = {};
  const laneOf = new Map<string, string>();
  const visitLanes = (laneSet: ModdleLike | undefined): void => {
    for (const lane of arr(laneSet, 'lanes')) {
      const id = String(lane.id);
      const ops = ext(lane, 'nagare:Operators');
      const spec: Mutable<LaneSpec> = {
        id,
        allocation: str(ops?.allocation) ?? 'offer',
        team: ops?.team === true,
        completion: ops?.completion === 'any' ? 'any' : 'all',
      };
      if (str(lane.name)) spec.name = str(lane.name);
      lanes[id] = spec;
      for (const ref of arr(lane, 'flowNodeRef')) laneOf.set(String(ref.id), id);
      visitLanes(lane.childLaneSet as ModdleLike | undefined);
    }
  };
  for (const ls of arr(proc, 'laneSets')) visitLanes(ls);

  // --- flow nodes ------------------------------------------------------------------------------
  const nodes: Record<string, Mutable<CompiledNode>> = {};
  const flows: Record<string, Mutable<CompiledFlow>> = {};
  const rawFlows: { el: ModdleLike; parent: string | null }[] = [];
  const rawNodes = new Map<string, ModdleLike>();
  const startEvents: string[] = [];
  const timerStarts: TimerStartSpec[] = [];
  const messageStarts: MessageStartSpec[] = [];
  const addonStarts: AddonStartSpec[] = [];
  const linkThrows: { id: string; name: string; parent: string | null }[] = [];
  const linkCatches: { id: string; name: string; parent: string | null }[] = [];

  const timerOf = (def: ModdleLike, el: ModdleLike): TimerSpec | undefined | null => {
    const kinds: ['duration' | 'date' | 'cycle', string][] = [
      ['duration', 'timeDuration'],
      ['date', 'timeDate'],
      ['cycle', 'timeCycle'],
    ];
    for (const [kind, prop] of kinds) {
      const b = bodyOf(def[prop]);
      if (b === undefined) continue;
      const body = b.trim();
      if (body.startsWith('=')) {
        const e = expr(body.slice(1), 'value', el, 'timer expression');
        return e ? { kind, expr: e } : undefined;
      }
      if (body.startsWith('${') || body.startsWith('#{')) {
        problem(C.BadTimer, `timer "${body}" is a JUEL/SpEL expression; write it as FEEL after "="`, el);
        return undefined;
      }
      if (parseTimerDefinition(KIND[kind], body, 'UTC').ok) return { kind, literal: body };
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(body) && (!hasItems || dataItems[body])) {
        const e = expr(body, 'value', el, 'timer data item');
        return e ? { kind, expr: e } : undefined;
      }
      problem(C.BadTimer, `timer ${prop} "${body}" is neither ISO-8601 nor "=FEEL" nor a data item`, el);
      return undefined;
    }
    return null; // no time given
  };

  const automationOf = (el: ModdleLike, fallbackType: string): AutomationSpec => {
    const a = ext(el, 'nagare:Automation');
    const configs: Record<string, string> = {};
    for (const c of arr(a, 'configs')) {
      const name = str(c.name);
      if (name) configs[name] = str(c.value) ?? '';
    }
    const spec: Mutable<AutomationSpec> = { type: str(a?.type) ?? fallbackType, configs };
    if (str(a?.addon)) spec.addon = str(a?.addon);
    if (typeof a?.maxAttempts === 'number') spec.maxAttempts = a.maxAttempts;
    if (el.$type === 'bpmn:ScriptTask') {
      spec.script = { format: str(el.scriptFormat) ?? 'javascript', body: str(el.script) ?? '' };
    }
    return spec;
  };

  /** multiInstanceLoopCharacteristics → spec; undefined (with a problem) when it cannot run. */
  const miOf = (loop: ModdleLike, el: ModdleLike): MultiInstanceSpec | undefined => {
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      refuse(el, `${loop.$type} is not run; use multiInstanceLoopCharacteristics`);
      return undefined;
    }
    const card = bodyOf(loop.loopCardinality);
    if (!card) {
      problem(C.BadMultiInstance, 'a multi-instance step needs loopCardinality (a FEEL number or list)', el);
      return undefined;
    }
    const cardinality = expr(card.trim().replace(/^=/, ''), 'value', el, 'loopCardinality');
    if (!cardinality) return undefined;
    const m: Mutable<MultiInstanceSpec> = { sequential: loop.isSequential === true, cardinality };
    const cc = bodyOf(loop.completionCondition);
    if (cc) {
      const ce = expr(cc.trim().replace(/^=/, ''), 'condition', el, 'completionCondition');
      if (ce) m.completionCondition = ce;
    }
    return m;
  };

  const refuse = (el: ModdleLike, why: string): void => {
    problem(C.Unsupported, `${el.$type} is not run by the engine${why ? `: ${why}` : ''}`, el);
  };

  const visit = (container: ModdleLike, parent: string | null): void => {
    for (const el of arr(container, 'flowElements')) {
      const t = el.$type;
      if (t === 'bpmn:SequenceFlow') {
        rawFlows.push({ el, parent });
        continue;
      }
      if (t === 'bpmn:DataObject' || t === 'bpmn:DataObjectReference' || t === 'bpmn:DataStoreReference')
        continue;
      const id = String(el.id);
      rawNodes.set(id, el);
      const base = {
        id,
        type: t,
        parent,
        incoming: [] as string[],
        outgoing: [] as string[],
        boundaries: [] as string[],
        conditional: false,
      };
      const named = str(el.name) ? { name: str(el.name) } : {};
      const defs = arr(el, 'eventDefinitions');
      if (defs.length > 1) {
        problem(C.UnsupportedEvent, 'an event with several event definitions is not run', el);
        continue;
      }
      const def = defs[0];
      const defType = def?.$type;
      if (el.isForCompensation === true) {
        refuse(el, 'compensation handlers are not run');
        continue;
      }
      const loop = el.loopCharacteristics as ModdleLike | undefined;
      let mi: MultiInstanceSpec | undefined;
      if (loop) {
        if (!MI_ACTIVITIES.has(t)) {
          refuse(el, `${loop.$type} on a ${t} is not run`);
          continue;
        }
        mi = miOf(loop, el);
        if (!mi) continue;
      }
      const automation = ext(el, 'nagare:Automation');
      const isUpdateData = automation?.type === 'updateData';
      switch (t) {
        case 'bpmn:StartEvent': {
          let trigger: 'none' | 'timer' | 'message' | 'addon' = 'none';
          if (defType === 'bpmn:TimerEventDefinition' || ext(el, 'nagare:Schedules')) trigger = 'timer';
          else if (defType === 'bpmn:MessageEventDefinition' || ext(el, 'nagare:MessageKey'))
            trigger = 'message';
          else if (defType) {
            problem(C.UnsupportedEvent, `start event with ${defType} is not run`, el);
            continue;
          }
          // A start event's add-on: polled or webhook on a plain start, listed on a timer's firings.
          // A message start's nagare:automation is its channel's settings (e-mail: mail-in routes).
          let startAddon: AutomationSpec | undefined;
          if (automation && trigger === 'message') {
            if (str(automation.type) === 'addon') {
              problem(C.BadAddonStart, 'a message start event cannot carry an add-on', el);
              continue;
            }
          } else if (automation) {
            if (str(automation.type) !== 'addon' || !str(automation.addon)) {
              problem(
                C.BadAddonStart,
                'a start event\'s nagare:automation must be type="addon" with addon="id" or "id@version"',
                el,
              );
              continue;
            }
            startAddon = automationOf(el, 'addon');
            if (trigger === 'none') trigger = 'addon';
          }
          if (parent !== null && trigger !== 'none') {
            problem(C.BadSubProcess, 'a start event inside a sub-process must be a plain start event', el);
            continue;
          }
          if (parent === null) {
            startEvents.push(id);
            if (trigger === 'timer') {
              const sch = ext(el, 'nagare:Schedules');
              const spec: Mutable<TimerStartSpec> = {
                node: id,
                schedules: arr(sch, 'schedules').map((s) => {
                  const row: Record<string, string | number | undefined> = {};
                  for (const k of ['frequency', 'time', 'dayOfWeek', 'dayOfMonth', 'month', 'count']) {
                    const v = s[k];
                    if (typeof v === 'string' || typeof v === 'number') row[k] = v;
                  }
                  return row;
                }),
              };
              if (str(sch?.timezone)) spec.timezone = str(sch?.timezone);
              if (def) {
                for (const [kind, prop] of [
                  ['duration', 'timeDuration'],
                  ['date', 'timeDate'],
                  ['cycle', 'timeCycle'],
                ] as const) {
                  const b = bodyOf(def[prop]);
                  if (b !== undefined) spec.timer = { kind, value: b.trim() };
                }
              }
              if (spec.schedules.length === 0 && !spec.timer) {
                problem(C.BadTimer, 'a timer start event needs nagare:schedules or a timer definition', el);
              }
              if (startAddon) spec.automation = startAddon;
              timerStarts.push(spec);
            } else if (trigger === 'message') {
              const mk = ext(el, 'nagare:MessageKey');
              const spec: Mutable<MessageStartSpec> = { node: id, channel: str(mk?.channel) ?? 'http' };
              if (str(mk?.key)) spec.key = str(mk?.key);
              messageStarts.push(spec);
            } else if (trigger === 'addon' && startAddon) {
              const interval = str(automation?.pollInterval) ?? 'PT5M';
              const parsed = parseIsoDuration(interval);
              if (!parsed.ok) problem(C.BadAddonStart, `pollInterval: ${parsed.error}`, el);
              else if (durationBoundsMs(parsed.value).min < 60_000)
                problem(C.BadAddonStart, `pollInterval "${interval}" is shorter than one minute`, el);
              const key = str(automation?.key);
              addonStarts.push({
                node: id,
                automation: startAddon,
                pollInterval: interval,
                ...(key ? { key } : {}),
              });
            }
          }
          nodes[id] = {
            ...base,
            ...named,
            kind: 'start',
            trigger,
            ...(startAddon ? { automation: startAddon } : {}),
          };
          break;
        }
        case 'bpmn:EndEvent': {
          if (!defType) nodes[id] = { ...base, ...named, kind: 'end', end: 'none' };
          else if (defType === 'bpmn:TerminateEventDefinition')
            nodes[id] = { ...base, ...named, kind: 'end', end: 'terminate' };
          else if (defType === 'bpmn:ErrorEventDefinition') {
            const code = str((def?.errorRef as ModdleLike | undefined)?.errorCode);
            const n: Mutable<CompiledNode> = { ...base, ...named, kind: 'end', end: 'error' };
            if (code !== undefined) n.errorCode = code;
            nodes[id] = n;
          } else if (defType === 'bpmn:MessageEventDefinition') {
            nodes[id] = {
              ...base,
              ...named,
              kind: 'end',
              end: 'none',
              automation: automationOf(el, 'message'),
            };
          } else problem(C.UnsupportedEvent, `end event with ${defType} is not run`, el);
          break;
        }
        case 'bpmn:IntermediateThrowEvent': {
          if (defType === 'bpmn:MessageEventDefinition' || (automation && !defType)) {
            nodes[id] = { ...base, ...named, kind: 'job', automation: automationOf(el, 'message') };
          } else if (defType === 'bpmn:LinkEventDefinition') {
            // the catch event is resolved once every node of the scope is known
            nodes[id] = { ...base, ...named, kind: 'linkThrow', target: '' };
            linkThrows.push({ id, name: str(def?.name) ?? '', parent });
          } else if (!defType) nodes[id] = { ...base, ...named, kind: 'pass' };
          else problem(C.UnsupportedEvent, `intermediate throw event with ${defType} is not run`, el);
          break;
        }
        case 'bpmn:IntermediateCatchEvent': {
          if (defType === 'bpmn:TimerEventDefinition' && def) {
            const timer = timerOf(def, el);
            if (timer === null)
              problem(C.BadTimer, 'a timer catch event needs timeDuration, timeDate or timeCycle', el);
            else if (timer) nodes[id] = { ...base, ...named, kind: 'timerCatch', timer };
          } else if (defType === 'bpmn:MessageEventDefinition') {
            const mk = ext(el, 'nagare:MessageKey');
            const n: Mutable<CompiledNode> = {
              ...base,
              ...named,
              kind: 'messageCatch',
              channel: str(mk?.channel) ?? 'http',
            };
            if (str(mk?.key)) n.key = str(mk?.key);
            nodes[id] = n;
          } else if (defType === 'bpmn:LinkEventDefinition') {
            nodes[id] = { ...base, ...named, kind: 'pass' };
            linkCatches.push({ id, name: str(def?.name) ?? '', parent });
          } else
            problem(
              C.UnsupportedEvent,
              `intermediate catch event with ${defType ?? 'no definition'} is not run`,
              el,
            );
          break;
        }
        case 'bpmn:BoundaryEvent': {
          const attached = el.attachedToRef as ModdleLike | undefined;
          const attachedTo = attached ? String(attached.id) : '';
          const interrupting = el.cancelActivity !== false;
          if (defType === 'bpmn:TimerEventDefinition' && def) {
            const timer = timerOf(def, el);
            if (timer === undefined) break;
            const n: Mutable<CompiledNode> = {
              ...base,
              ...named,
              kind: 'boundary',
              attachedTo,
              interrupting,
              trigger: 'timer',
            };
            if (timer) n.timer = timer;
            nodes[id] = n;
          } else if (defType === 'bpmn:ErrorEventDefinition') {
            const n: Mutable<CompiledNode> = {
              ...base,
              ...named,
              kind: 'boundary',
              attachedTo,
              interrupting: true,
              trigger: 'error',
            };
            const code = str((def?.errorRef as ModdleLike | undefined)?.errorCode);
            if (code !== undefined) n.errorCode = code;
            nodes[id] = n;
          } else if (defType === 'bpmn:MessageEventDefinition') {
            const n: Mutable<CompiledNode> = {
              ...base,
              ...named,
              kind: 'boundary',
              attachedTo,
              interrupting,
              trigger: 'message',
            };
            const key = str(ext(el, 'nagare:MessageKey')?.key);
            if (key !== undefined) n.key = key;
            nodes[id] = n;
          } else
            problem(C.UnsupportedEvent, `boundary event with ${defType ?? 'no definition'} is not run`, el);
          break;
        }
        case 'bpmn:UserTask': {
          const n: Mutable<CompiledNode> = { ...base, ...named, kind: 'userTask' };
          const lane = laneOf.get(id);
          if (lane) n.lane = lane;
          const buttons: ButtonSpec[] = arr(ext(el, 'nagare:Buttons'), 'buttons').map((b) => ({
            flow: str(b.flow) ?? '',
            label: str(b.label) ?? '',
          }));
          if (buttons.length > 0) n.buttons = buttons;
          const dl = ext(el, 'nagare:Deadline');
          if (dl) {
            const d: Mutable<StepDeadline> = { action: dl.action === 'abort' ? 'abort' : 'none' };
            if (typeof dl.amount === 'number') d.amount = dl.amount;
            for (const k of ['unit', 'base', 'item', 'expression'] as const)
              if (str(dl[k])) d[k] = str(dl[k]);
            n.deadline = d;
            if (d.expression) {
              const e = expr(d.expression.replace(/^=/, ''), 'value', el, 'deadline expression');
              if (e) n.deadlineExpr = e;
            }
          }
          nodes[id] = n;
          break;
        }
        case 'bpmn:ServiceTask':
        case 'bpmn:SendTask':
        case 'bpmn:ScriptTask':
        case 'bpmn:BusinessRuleTask':
        case 'bpmn:Task':
        case 'bpmn:ManualTask': {
          if (isUpdateData) {
            const assignments: { item: string; expr: CompiledExpr }[] = [];
            for (const a of arr(automation, 'assignments')) {
              const item = str(a.item) ?? '';
              checkItem(item, el);
              const e = expr(str(a.expression) ?? '', 'value', el, `assignment to "${item}"`);
              if (e) assignments.push({ item, expr: e });
            }
            nodes[id] = { ...base, ...named, kind: 'updateData', assignments };
          } else if (TASK_JOB_TYPES.has(t)) {
            nodes[id] = {
              ...base,
              ...named,
              kind: 'job',
              automation: automationOf(el, t.slice(5, -4).toLowerCase()),
            };
          } else nodes[id] = { ...base, ...named, kind: 'pass' };
          break;
        }
        case 'bpmn:ReceiveTask': {
          const mk = ext(el, 'nagare:MessageKey');
          const n: Mutable<CompiledNode> = {
            ...base,
            ...named,
            kind: 'messageCatch',
            channel: str(mk?.channel) ?? 'http',
          };
          if (str(mk?.key)) n.key = str(mk?.key);
          nodes[id] = n;
          break;
        }
        case 'bpmn:ExclusiveGateway':
          nodes[id] = { ...base, ...named, kind: 'exclusive' };
          break;
        case 'bpmn:ParallelGateway':
          nodes[id] = { ...base, ...named, kind: 'parallel' };
          break;
        case 'bpmn:InclusiveGateway':
          nodes[id] = { ...base, ...named, kind: 'inclusive' };
          break;
        case 'bpmn:EventBasedGateway':
          if (el.instantiate === true || (str(el.eventGatewayType) ?? 'Exclusive') !== 'Exclusive') {
            refuse(el, 'only a non-instantiating exclusive event-based gateway is run');
          } else nodes[id] = { ...base, ...named, kind: 'eventGateway' };
          break;
        case 'bpmn:SubProcess': {
          if (el.triggeredByEvent === true) {
            refuse(el, 'event sub-processes are not run');
            break;
          }
          const children = arr(el, 'flowElements');
          const starts = children.filter((c) => c.$type === 'bpmn:StartEvent').map((c) => String(c.id));
          if (starts.length === 0) starts.push(...implicitStarts(children));
          if (starts.length === 0) {
            problem(
              C.BadSubProcess,
              'a sub-process needs a start event or a step without incoming flows',
              el,
            );
          } else if (starts.length > 1 && children.some((c) => c.$type === 'bpmn:StartEvent')) {
            problem(
              C.BadSubProcess,
              `a sub-process needs exactly one plain start event (has ${starts.length})`,
              el,
            );
          }
          const n: Mutable<CompiledNode> = {
            ...base,
            ...named,
            kind: 'subProcess',
            start: starts[0] ?? '',
          };
          if (starts.length > 1) n.alsoStart = starts.slice(1);
          if (mi) n.mi = mi;
          nodes[id] = n;
          visit(el, id);
          break;
        }
        default:
          refuse(el, t === 'bpmn:CallActivity' ? 'call activities are not supported yet' : '');
      }
      const made = nodes[id];
      if (mi && made && made.kind !== 'subProcess') made.mi = mi;
    }
  };
  visit(proc, null);

  // --- link events: a throw jumps to the catch of the same name in the same scope --------------
  for (const lt of linkThrows) {
    const matches = linkCatches.filter((c) => c.name === lt.name && c.parent === lt.parent);
    const throwNode = nodes[lt.id];
    if (matches.length !== 1 || throwNode?.kind !== 'linkThrow') {
      problem(
        C.BadLink,
        matches.length === 0
          ? `no link catch event named "${lt.name}" in the same scope`
          : `${matches.length} link catch events named "${lt.name}" in the same scope`,
        rawNodes.get(lt.id),
      );
      continue;
    }
    throwNode.target = matches[0]!.id;
  }

  // --- flows -------------------------------------------------------------------------------------
  // flows whose condition was refused: not reported again as "needs a condition"
  const refusedConditions = new Set<string>();
  for (const { el, parent } of rawFlows) {
    const id = String(el.id);
    const source = String((el.sourceRef as ModdleLike | undefined)?.id ?? '');
    const target = String((el.targetRef as ModdleLike | undefined)?.id ?? '');
    const s = nodes[source];
    const tg = nodes[target];
    if (!rawNodes.has(source) || !rawNodes.has(target)) {
      problem(
        C.BadFlow,
        `sequence flow must connect two flow nodes (${source || '?'} → ${target || '?'})`,
        el,
      );
      continue;
    }
    if (!s || !tg) continue; // the node itself was refused
    if (s.parent !== parent || tg.parent !== parent) {
      problem(C.BadFlow, 'a sequence flow may not cross a sub-process boundary', el);
      continue;
    }
    const f: Mutable<CompiledFlow> = { id, source, target, isDefault: false };
    if (str(el.name)) f.name = str(el.name);
    const rows = ext(el, 'nagare:Condition');
    const ce = el.conditionExpression as ModdleLike | undefined;
    let source_: string | undefined;
    if (rows) {
      const r = conditionRowsFeel(rows, itemTypes);
      if (!r.ok) problem(C.BadExpression, `condition rows: ${r.error}`, el);
      else source_ = r.value;
      if (ce)
        warn(C.BadExpression, 'both nagare:condition and conditionExpression; the condition rows win', el);
    } else if (ce) {
      const body = (bodyOf(ce) ?? '').trim();
      const lang = str(ce.language)?.toLowerCase();
      if (body.startsWith('${') || body.startsWith('#{')) {
        const feel = translateJuel(body);
        if (feel === undefined)
          problem(
            C.BadExpression,
            `condition "${body}" is JUEL/SpEL and not trivially translatable to FEEL`,
            el,
          );
        else source_ = feel;
      } else if (lang && !FEEL_LANGUAGES.has(lang)) {
        problem(
          C.BadExpression,
          `condition language "${str(ce.language)}" is not run; conditions are FEEL`,
          el,
        );
      } else source_ = body.replace(/^=/, '');
    }
    if (source_ !== undefined) {
      const e = expr(source_, 'condition', el, 'condition');
      if (e) f.condition = e;
    }
    if ((rows || ce) && !f.condition) refusedConditions.add(id);
    flows[id] = f;
  }

  // outgoing in the modeler's order: the node's <outgoing> refs when given, else document order.
  for (const f of Object.values(flows)) {
    (nodes[f.source]!.outgoing as string[]).push(f.id);
    (nodes[f.target]!.incoming as string[]).push(f.id);
  }
  for (const n of Object.values(nodes)) {
    const el = rawNodes.get(n.id);
    const declared = arr(el, 'outgoing').map((o) => String(o.id));
    if (declared.length === n.outgoing.length && declared.every((d) => n.outgoing.includes(d)))
      n.outgoing = declared;
    n.conditional = n.outgoing.some((o) => flows[o]?.condition !== undefined);
  }

  // --- per-node checks ---------------------------------------------------------------------------
  for (const n of Object.values(nodes)) {
    const el = rawNodes.get(n.id);
    const dflt = el?.default as ModdleLike | undefined;
    if (dflt) {
      const fid = String(dflt.id);
      if (!n.outgoing.includes(fid)) problem(C.BadDefault, `default flow ${fid} is not an outgoing flow`, el);
      else {
        n.defaultFlow = fid;
        const f = flows[fid];
        if (f) {
          f.isDefault = true;
          if (f.condition) warn(C.BadDefault, `default flow ${fid} has a condition; it is ignored`, el);
        }
      }
    }
    if (n.kind === 'boundary') {
      const host = nodes[n.attachedTo];
      if (!host) {
        // A refused host was reported already; only a missing one is a new problem.
        if (!rawNodes.has(n.attachedTo))
          problem(
            C.BadBoundary,
            `attached to ${n.attachedTo || 'nothing'}, which is not a step the engine runs`,
            el,
          );
        continue;
      }
      (host.boundaries as string[]).push(n.id);
      n.parent = host.parent;
      const activity = ['userTask', 'job', 'subProcess', 'messageCatch', 'updateData', 'pass'].includes(
        host.kind,
      );
      if (!activity)
        problem(C.BadBoundary, `a boundary event must be attached to an activity, not ${host.type}`, el);
      if (n.trigger === 'error' && host.kind !== 'job' && host.kind !== 'subProcess') {
        problem(
          C.BadBoundary,
          'an error boundary event catches errors of automated steps and sub-processes only',
          el,
        );
      }
      if (n.trigger === 'timer' && !n.timer) {
        const dl = host.kind === 'userTask' ? host.deadline : undefined;
        if (dl?.action !== 'abort' || !n.interrupting) {
          problem(
            C.BadTimer,
            'a timer boundary event without a time must be the interrupting abort path of a step deadline (nagare:deadline action="abort")',
            el,
          );
        }
      }
      if (n.incoming.length > 0) problem(C.BadBoundary, 'a boundary event has no incoming flows', el);
    }
    if (n.kind === 'userTask') {
      if (n.buttons) {
        for (const b of n.buttons) {
          if (!n.outgoing.includes(b.flow))
            problem(
              C.BadButton,
              `button "${b.label}" names ${b.flow || 'no flow'}, not an outgoing flow`,
              el,
            );
        }
      }
      if (n.deadline?.item) checkItem(n.deadline.item, el as ModdleLike);
    }
    if (n.kind === 'eventGateway') {
      for (const o of n.outgoing) {
        const target = nodes[flows[o]?.target ?? ''];
        if (!target || (target.kind !== 'timerCatch' && target.kind !== 'messageCatch')) {
          problem(
            C.BadEventGateway,
            `outgoing flow ${o} must lead to a timer or message catch event or a receive task`,
            el,
          );
        } else if (target.incoming.length > 1) {
          problem(
            C.BadEventGateway,
            `${target.id} after an event-based gateway may have no other incoming flow`,
            el,
          );
        }
      }
      if (n.outgoing.length < 2)
        problem(C.BadEventGateway, 'an event-based gateway needs at least two outgoing flows', el);
    }
    if (n.kind === 'exclusive' && n.outgoing.length > 1) {
      for (const o of n.outgoing) {
        const f = flows[o];
        if (f && !f.condition && !f.isDefault && !refusedConditions.has(o)) {
          warn(
            C.BadFlow,
            `outgoing flow ${o} of a splitting exclusive gateway has no condition: it counts as true in its turn (later flows are never taken)`,
            el,
          );
        }
      }
    }
    if (n.kind === 'linkThrow' && n.outgoing.length > 0)
      problem(C.BadLink, 'a link throw event has no outgoing flows (it continues at its catch event)', el);
    if (n.kind === 'pass' && n.incoming.length > 0 && linkCatches.some((c) => c.id === n.id))
      problem(C.BadLink, 'a link catch event has no incoming flows', el);
    if (n.kind === 'start' && n.incoming.length > 0)
      problem(C.BadFlow, 'a start event has no incoming flows', el);
    if (n.kind === 'end' && n.outgoing.length > 0)
      problem(C.BadFlow, 'an end event has no outgoing flows', el);
  }
  for (const n of Object.values(nodes)) {
    if (n.kind === 'userTask' && n.deadline?.action === 'abort') {
      const abort = n.boundaries.some((b) => {
        const bn = nodes[b];
        return bn?.kind === 'boundary' && bn.trigger === 'timer' && bn.interrupting;
      });
      if (!abort)
        problem(
          C.BadDeadline,
          'deadline action "abort" needs an interrupting timer boundary event on the step',
          rawNodes.get(n.id),
        );
    }
  }

  const plainStarts = startEvents.filter((s) => {
    const n = nodes[s];
    return n?.kind === 'start' && n.trigger === 'none';
  });
  if (startEvents.length === 0) problem(C.NoStart, 'the process has no start event', proc);

  if (problems.length > 0) throw new CompileError(problems);

  const app: Mutable<CompiledApp> = {
    kind: 'CompiledApp',
    processId: String(proc.id),
    nodes,
    flows,
    lanes,
    dataItems,
    startEvents,
    timerStarts,
    messageStarts,
    addonStarts,
    inclusiveReach: {},
    warnings,
  };
  if (str(proc.name)) app.name = str(proc.name);
  if (plainStarts.length === 1) app.defaultStart = plainStarts[0];
  app.inclusiveReach = inclusiveReachability(nodes, flows);
  return app;
}
