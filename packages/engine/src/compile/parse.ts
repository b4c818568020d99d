/**
 * Reading BPMN XML for the compiler: the BPMN layer's parseBpmn (size guard, DOCTYPE refusal,
 * well-formedness, duplicate ids, dangling references — it throws BpmnError for those).
 * Always strict: a lenient read keeps duplicate ids and stand-ins for dangling references,
 * which is right for importing into the modeler and wrong for anything that runs.
 */
import type { ParseBpmnOptions } from '../bpmn/guard.js';
import { parseBpmn } from '../bpmn/parse.js';
import type { BpmnProblem } from '../bpmn/problems.js';

/** A bpmn-moddle element as the compiler reads it: `$type` plus untyped properties. */
export interface ModdleLike {
  readonly $type: string;
  readonly id?: unknown;
  readonly [property: string]: unknown;
}

export async function parseDefinitions(
  xml: string,
  options?: ParseBpmnOptions,
): Promise<{ definitions: ModdleLike; warnings: BpmnProblem[] }> {
  const { definitions, warnings } = await parseBpmn(xml, { ...options, lenient: false });
  return { definitions: definitions as unknown as ModdleLike, warnings };
}
