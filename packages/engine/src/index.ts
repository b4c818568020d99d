// The public API of Nagare's pure core. Everything here runs without I/O: callers pass in
// text, time and ids, and get back values.

export * from './bpmn/index.js';
// compile + decide (the engine core)
export { compile, compileDefinitions } from './compile/compile.js';
export { CompileCodes, CompileError, formatCompileProblem } from './compile/compile-error.js';
// data items: settings, validation, access matrix, options masters (issue 5)
export * from './data/index.js';
export {
  type DecideContext,
  type DecideResult,
  decide,
  type Rejection,
  type RejectionCode,
  RejectionCodes,
} from './decide/decide.js';
export { evolve, replay } from './decide/evolve.js';
export { DEFAULT_STEP_BUDGET, IncidentCodes } from './decide/run.js';
export * from './expr/index.js';
export type * from './model/commands.js';
export type * from './model/compiled-app.js';
export type * from './model/effects.js';
export type * from './model/events.js';
export type * from './model/state.js';
export * from './time/index.js';
