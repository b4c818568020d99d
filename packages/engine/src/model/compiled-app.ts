/**
 * The compiled form of one App version: what `compile()` makes of a BPMN document and what
 * `decide()` runs. It is built once per deployed version and then only read; nothing in it is
 * mutated by `decide`. Element ids are the BPMN ids, so every problem, event and effect names
 * the element the modeler drew.
 *
 * Lookups that `decide` does on every step are precomputed here (outgoing flows in the
 * modeler's order, boundary events per activity, inclusive-join reachability), so running a
 * step never walks the model.
 */
import type { DataItemType } from '../expr/feel-values.js';

/** A compiled expression: FEEL source plus a function that evaluates it against a context. */
export interface CompiledExpr {
  readonly source: string;
  readonly evaluate: (context: Readonly<Record<string, unknown>>, env: ExprEnv) => ExprResult;
}

/** What an expression may read besides data: the current instant (for `now()`) and the zone. */
export interface ExprEnv {
  readonly now: number;
  readonly timeZone: string;
}

export type ExprResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

/** How a timer's due time is given: an ISO-8601 literal, or a FEEL expression. */
export interface TimerSpec {
  /** `duration`: from the moment the token arrives; `date`: an absolute date/datetime; `cycle`: ISO repeating interval, first firing. */
  readonly kind: 'duration' | 'date' | 'cycle';
  /** The literal (e.g. `PT5M`) when the body is not an expression. */
  readonly literal?: string;
  /** The expression when the body is `=...` or names a data item. */
  readonly expr?: CompiledExpr;
}

export interface StepDeadline {
  readonly amount?: number;
  readonly unit?: string;
  readonly base?: string;
  readonly item?: string;
  readonly expression?: string;
  /** `none` (only shown and notified) or `abort` (the interrupting timer boundary event fires). */
  readonly action: 'none' | 'abort';
}

export interface AutomationSpec {
  /** `updateData` never appears here: that step runs inline. E.g. `script`, `http`, `email`, `addon`, or the BPMN type. */
  readonly type: string;
  readonly addon?: string;
  readonly maxAttempts?: number;
  readonly configs: Readonly<Record<string, string>>;
  /** Script body and format for bpmn:scriptTask. */
  readonly script?: { readonly format: string; readonly body: string };
}

export interface ButtonSpec {
  readonly flow: string;
  readonly label: string;
}

export interface LaneSpec {
  readonly id: string;
  readonly name?: string;
  readonly allocation: string;
  readonly team: boolean;
  readonly completion: 'all' | 'any';
}

export interface MultiInstanceSpec {
  readonly sequential: boolean;
  /** Yields a number (that many instances) or a list (one instance per element, seen as `item`). */
  readonly cardinality: CompiledExpr;
  readonly completionCondition?: CompiledExpr;
}

interface NodeBase {
  readonly id: string;
  readonly name?: string;
  /** The BPMN element type, e.g. `bpmn:UserTask`. */
  readonly type: string;
  /** The enclosing sub-process id, or null at process level. */
  readonly parent: string | null;
  readonly incoming: readonly string[];
  /** Outgoing flow ids in the modeler's (document) order. */
  readonly outgoing: readonly string[];
  /** Boundary events attached to this node. */
  readonly boundaries: readonly string[];
  /** True when at least one outgoing flow has a condition (then the first true one wins, else the default). */
  readonly conditional: boolean;
  readonly defaultFlow?: string;
  /**
   * Multi-instance (activities only): the step runs once per instance, each in its own scope
   * instance whose local variables are `loopCounter` and `item`.
   */
  readonly mi?: MultiInstanceSpec;
}

export interface StartNode extends NodeBase {
  readonly kind: 'start';
  /** `addon`: a plain start event whose add-on starts the issues (polled, or called by a webhook). */
  readonly trigger: 'none' | 'timer' | 'message' | 'addon';
  /** A start event's add-on (`nagare:automation type="addon"`), on `addon` and `timer` starts. */
  readonly automation?: AutomationSpec;
}
export interface EndNode extends NodeBase {
  readonly kind: 'end';
  readonly end: 'none' | 'terminate' | 'error';
  readonly errorCode?: string;
  /** A throwing message end event first runs as a job. */
  readonly automation?: AutomationSpec;
}
export interface UserTaskNode extends NodeBase {
  readonly kind: 'userTask';
  readonly lane?: string;
  readonly buttons?: readonly ButtonSpec[];
  readonly deadline?: StepDeadline;
  /** The deadline's expression mode, compiled. */
  readonly deadlineExpr?: CompiledExpr;
}
export interface JobNode extends NodeBase {
  readonly kind: 'job';
  readonly automation: AutomationSpec;
}
export interface UpdateDataNode extends NodeBase {
  readonly kind: 'updateData';
  readonly assignments: readonly { readonly item: string; readonly expr: CompiledExpr }[];
}
export interface PassNode extends NodeBase {
  readonly kind: 'pass';
}
export interface GatewayNode extends NodeBase {
  readonly kind: 'exclusive' | 'parallel' | 'inclusive' | 'eventGateway';
}
export interface TimerCatchNode extends NodeBase {
  readonly kind: 'timerCatch';
  readonly timer: TimerSpec;
}
export interface MessageCatchNode extends NodeBase {
  readonly kind: 'messageCatch';
  readonly channel: string;
  readonly key?: string;
}
export interface SubProcessNode extends NodeBase {
  readonly kind: 'subProcess';
  /** Its start event; without one, the first of its steps that have no incoming flows (BPMN's implicit start). */
  readonly start: string;
  /** Implicit start only: the other steps without incoming flows, which start at the same time. */
  readonly alsoStart?: readonly string[];
}
/** A link throw event: the token continues at the link catch event of the same name in the same scope. */
export interface LinkThrowNode extends NodeBase {
  readonly kind: 'linkThrow';
  readonly target: string;
}
export interface BoundaryNode extends NodeBase {
  readonly kind: 'boundary';
  readonly attachedTo: string;
  readonly interrupting: boolean;
  readonly trigger: 'timer' | 'error' | 'message';
  /** Message boundary: the key its subscription carries (`nagare:messageKey`). */
  readonly key?: string;
  /** Timer boundary: its own timer, or none when it is the abort path of the step's `nagare:deadline`. */
  readonly timer?: TimerSpec;
  /** Error boundary: the error code it catches; undefined catches every error. */
  readonly errorCode?: string;
}

export type CompiledNode =
  | StartNode
  | EndNode
  | UserTaskNode
  | JobNode
  | UpdateDataNode
  | PassNode
  | GatewayNode
  | TimerCatchNode
  | MessageCatchNode
  | SubProcessNode
  | LinkThrowNode
  | BoundaryNode;

export interface CompiledFlow {
  readonly id: string;
  readonly name?: string;
  readonly source: string;
  readonly target: string;
  readonly condition?: CompiledExpr;
  readonly isDefault: boolean;
}

export interface DataItemSpec {
  readonly fieldName: string;
  readonly name?: string;
  readonly number?: number;
  /** As written in `nagare:dataItem type`. */
  readonly type: string;
  /** The value type incoming data is checked against; absent for a type Nagare does not know. */
  readonly valueType?: DataItemType;
  /** `initialValue`, typed (a number for numeric items, choice ids for selects); set at start unless given. */
  readonly initialValue?: unknown;
}

export interface TimerStartSpec {
  readonly node: string;
  readonly timezone?: string;
  /** `nagare:schedules/schedule` rows, as written, for the runtime's `nextScheduleFiring`. */
  readonly schedules: readonly Readonly<Record<string, string | number | undefined>>[];
  /** A standard `bpmn:timerEventDefinition` (cycle/date) when no nagare schedules are given. */
  readonly timer?: { readonly kind: 'duration' | 'date' | 'cycle'; readonly value: string };
  /**
   * A timer start event carrying an add-on (`START_EVENT_TIMER`, or a polling `START_EVENT`
   * add-on polled on this schedule): at each firing the add-on's `list()` names the issues.
   */
  readonly automation?: AutomationSpec;
}

/**
 * A plain start event carrying an add-on (`<nagare:automation type="addon" addon="id[@version]">`):
 * a polling add-on (`START_EVENT`) is polled every `pollInterval`; a webhook add-on
 * (`START_EVENT_WEBHOOK`) is called by its HTTP endpoint. Which one it is, the server learns from
 * the add-on itself.
 */
export interface AddonStartSpec {
  readonly node: string;
  readonly automation: AutomationSpec;
  /** ISO 8601 duration of at least one minute (`nagare:automation pollInterval`); default `PT5M`. */
  readonly pollInterval: string;
  /** A webhook's key (`nagare:automation key`): requests must carry it (`?key=`). */
  readonly key?: string;
}

export interface MessageStartSpec {
  readonly node: string;
  readonly channel: string;
  readonly key?: string;
}

export interface CompiledApp {
  readonly kind: 'CompiledApp';
  readonly processId: string;
  readonly name?: string;
  readonly nodes: Readonly<Record<string, CompiledNode>>;
  readonly flows: Readonly<Record<string, CompiledFlow>>;
  readonly lanes: Readonly<Record<string, LaneSpec>>;
  /** Declared data items by field name; empty when the model declares none (then any name is accepted). */
  readonly dataItems: Readonly<Record<string, DataItemSpec>>;
  /** Process-level start events. */
  readonly startEvents: readonly string[];
  /** The single process-level plain start event, when there is exactly one. */
  readonly defaultStart?: string;
  readonly timerStarts: readonly TimerStartSpec[];
  readonly messageStarts: readonly MessageStartSpec[];
  /** Plain start events with an add-on (a timer start's add-on is on its `TimerStartSpec`). */
  readonly addonStarts: readonly AddonStartSpec[];
  /**
   * For each inclusive join: for each incoming flow, the nodes from which a token can still
   * reach that flow without passing the join. A join fires when no token sits on such a node
   * for a flow that has not got its token yet.
   */
  readonly inclusiveReach: Readonly<Record<string, Readonly<Record<string, ReadonlySet<string>>>>>;
  readonly warnings: readonly CompileProblem[];
}

export interface CompileProblem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly elementId?: string;
  readonly elementType?: string;
}
