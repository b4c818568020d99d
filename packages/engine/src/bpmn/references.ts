/**
 * What to do with the references bpmn-moddle could not resolve (it reports each as a warning
 * and leaves the property empty):
 *
 * - `prefix:local` where the prefix names the BPMN namespace or the document's own target
 *   namespace, and `local` is an id here (Trisotech writes `semantic:sid-1`): resolved.
 * - `prefix:local` where the prefix names another namespace (a reference into an imported
 *   document, e.g. `triso:unspecified`): kept as a stub element carrying the reference text,
 *   so that it is written back unchanged; reported as a warning.
 * - anything else dangles. It is an error where it breaks the flow graph (a flow's source or
 *   target, a boundary event's host, a default flow); elsewhere a warning, and it is dropped,
 *   as bpmn-moddle does.
 */
import type { RawBpmnModdle, RawModdleWarning } from 'bpmn-moddle';
import { BPMN_MODEL_NS_URI } from './moddle.js';
import { type BpmnDefinitions, isModdleElement, type ModdleElement } from './model.js';
import { namespaceOfPrefix } from './namespaces.js';
import { BpmnCodes, type BpmnProblem } from './problems.js';
import type { Locate } from './reader-messages.js';

const externalStubs = new WeakSet<object>();

/** True for the stand-in of a reference into another document (see module comment). */
export function isExternalReference(element: unknown): boolean {
  return typeof element === 'object' && element !== null && externalStubs.has(element);
}

/** Graph-defining references: a document where these dangle cannot be run or drawn. */
const STRUCTURAL: Record<string, readonly string[]> = {
  sourceRef: ['bpmn:SequenceFlow', 'bpmn:MessageFlow'],
  targetRef: ['bpmn:SequenceFlow', 'bpmn:MessageFlow'],
  attachedToRef: ['bpmn:BoundaryEvent'],
  default: ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway', 'bpmn:Activity'],
};

export interface ReferenceContext {
  moddle: RawBpmnModdle;
  definitions: BpmnDefinitions;
  elementsById: Record<string, unknown>;
  locate: Locate;
}

/** Resolves or reports one "unresolved reference" warning; returns its problem, if any. */
export function settleUnresolvedReference(
  warning: RawModdleWarning,
  context: ReferenceContext,
): BpmnProblem | undefined {
  const { element, value } = warning;
  if (!isModdleElement(element) || warning.property === undefined || value === undefined) return undefined;
  // The reader names the property with its prefix (`bpmn:sourceRef`); elements use the local name.
  const property = warning.property.slice(warning.property.indexOf(':') + 1);
  const colon = value.indexOf(':');
  if (colon > 0) {
    const uri = namespaceOfPrefix(element, value.slice(0, colon));
    const local = context.elementsById[value.slice(colon + 1)];
    if ((uri === BPMN_MODEL_NS_URI || uri === context.definitions.targetNamespace) && local !== undefined) {
      setReference(element, property, local);
      return undefined;
    }
    if (uri !== undefined && uri !== BPMN_MODEL_NS_URI && uri !== context.definitions.targetNamespace) {
      keepExternal(element, property, value, context.moddle);
      return {
        severity: 'warning',
        code: BpmnCodes.externalReference,
        message: `${describe(element)} refers to "${value}" (${property}) in another document (namespace ${uri}); kept as written.`,
        ...context.locate(element),
      };
    }
  }
  const structural = STRUCTURAL[property]?.some((type) => element.$instanceOf(type)) ?? false;
  return {
    severity: structural ? 'error' : 'warning',
    code: BpmnCodes.unknownReference,
    message: `${describe(element)} refers to "${value}" as its ${property}, but no element has that id${structural ? '' : ' (the reference is dropped)'}.`,
    ...context.locate(element),
  };
}

function describe(element: ModdleElement): string {
  const id = typeof element.id === 'string' ? ` "${element.id}"` : '';
  return `${element.$type}${id}`;
}

function setReference(element: ModdleElement, property: string, target: unknown): void {
  const current = element[property];
  if (Array.isArray(current)) current.push(target);
  else if (isManyProperty(element, property)) element.set(property, [target]);
  else element.set(property, target);
}

function isManyProperty(element: ModdleElement, property: string): boolean {
  return element.$descriptor.properties?.find((p) => p.name === property)?.isMany === true;
}

function keepExternal(element: ModdleElement, property: string, value: string, moddle: RawBpmnModdle): void {
  const type = element.$descriptor.properties?.find((p) => p.name === property)?.type;
  if (type === undefined) return;
  // Not added to the tree: only the reference points at it, and the writer prints its id.
  const stub = moddle.create(type, { id: value });
  if (typeof stub === 'object' && stub !== null) externalStubs.add(stub);
  setReference(element, property, stub);
}
