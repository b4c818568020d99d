// Expressions: FEEL evaluation, data value conversion, condition rows.

export {
  CONDITION_OPS,
  type ConditionOp,
  type ConditionRow,
  ConditionRowsError,
  type ConditionRowsOptions,
  type ConditionTerm,
  compileConditionRows,
  conditionRowsToFeel,
} from './condition-rows.js';
export { compileConditionRowsEvaluator } from './condition-rows-eval.js';
export {
  type ConditionResult,
  evaluateCondition,
  evaluateFeel,
  type FeelOptions,
  type FeelResult,
} from './feel.js';
export { feelString, isPlainFeelName } from './feel-literal.js';
export {
  type DataItemType,
  type DataItemTypes,
  type FromFeel,
  fromFeelValue,
  toFeelContext,
  toFeelValue,
} from './feel-values.js';
