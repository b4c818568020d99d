import { applyWrite, type DataValues, type StepAccess, visibleData } from '@nagare/engine';
import { foreignFileRefs } from '../../../runtime/file-refs.js';
import type { AppModel } from './app-model.js';
import { invalidData } from './errors.js';

/** The data a viewer with this access may see; an App without declared items shows everything. */
export function visible(model: AppModel, values: DataValues, access: StepAccess): Record<string, unknown> {
  if (model.items.length === 0) return { ...values };
  return visibleData(model.items, values, access);
}

/**
 * Checks a write against the step's access (engine `applyWrite`) and returns only the values
 * it changes; 400 NAGARE_INVALID_DATA listing every problem otherwise (nothing is changed).
 * A file reference must be in `current`'s value of its item or in `allowedFiles` (this
 * request's uploads, the caller's saved form): the rule of runtime/file-refs.ts, which the
 * runtime applies to task finishes.
 */
export function checkedWrite(
  model: AppModel,
  current: DataValues,
  incoming: DataValues,
  access: StepAccess,
  finish: boolean,
  allowedFiles: Iterable<string>,
): Record<string, unknown> {
  const foreign = foreignFileRefs(model.items, current, incoming, allowedFiles);
  if (foreign.length > 0) throw invalidData(foreign);
  if (model.items.length === 0) return { ...incoming };
  const result = applyWrite(model.items, current, incoming, access, { finish });
  if (!result.ok) throw invalidData(result.errors);
  const out: Record<string, unknown> = {};
  for (const key of result.changed) out[key] = result.values[key];
  return out;
}

/** Every item editable (a start without a start form: the starter may set any item). */
export function allEditable(model: AppModel): StepAccess {
  const out: Record<string, { mode: 'edit'; required: false }> = {};
  for (const item of model.items) out[item.fieldName] = { mode: 'edit', required: false };
  return out;
}
