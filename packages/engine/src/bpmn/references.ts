/**
 * What to do with the references bpmn-moddle could not resolve (it reports each as a warning
 * and leaves the property empty):
 *
 * - `prefix:local` where the prefix names the BPMN namespace or the document's own target
 *   namespace, and `local` is an id here (Trisotech writes `semantic:sid-1`): resolved.
 * - `prefix:local` where the prefix names another namespace (a reference into an imported
 *   document, e.g. `triso:unspecified`): kept as a stub element carrying the reference text,
 *   so that it is written back unchanged; reported as a warning.
 * - anything else dangles. Strict reading: an error where it breaks the flow graph (a flow's
 *   source or target, a boundary event's host, a default flow); elsewhere a warning, and it is
 *   dropped, as bpmn-moddle does. Lenient reading: a warning, and kept as written like a
 *   reference into another document (a stub with the id text; see isDanglingReference).
 *
 * Stubs take the place the reference had in a list (`flowNodeRef`s of a lane...), so that even
 * the order is written back as it was.
 */
import type { RawBpmnModdle, RawModdleReference } from 'bpmn-moddle';
import { BPMN_MODEL_NS_URI } from './moddle.js';
import { type BpmnDefinitions, isModdleElement, type ModdleElement } from './model.js';
import { namespaceOfPrefix } from './namespaces.js';
import { BpmnCodes, type BpmnProblem } from './problems.js';
import type { Locate } from './reader-messages.js';

const externalStubs = new WeakSet<object>();
const danglingStubs = new WeakSet<object>();

/** True for the stand-in of a reference into another document (see module comment). */
export function isExternalReference(element: unknown): boolean {
  return typeof element === 'object' && element !== null && externalStubs.has(element);
}

/**
 * True for the stand-in of a reference to an id that is not in the document, kept by the
 * lenient reading (`parseBpmn(xml, { lenient: true })`) so that it is written back as it was.
 */
export function isDanglingReference(element: unknown): boolean {
  return typeof element === 'object' && element !== null && danglingStubs.has(element);
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
  /** Keep dangling references as written (warnings) instead of dropping them (errors in the graph). */
  lenient: boolean;
}

/**
 * Resolves or reports each reference the reader left unresolved (`references` is the reader's
 * list, in document order); returns the problems, in that order.
 */
export function settleUnresolvedReferences(
  references: readonly RawModdleReference[],
  context: ReferenceContext,
): BpmnProblem[] {
  const problems: BpmnProblem[] = [];
  const settled = new Map<RawModdleReference, unknown>();
  for (const reference of references) {
    if (context.elementsById[reference.id]) continue;
    const { value, problem } = settle(reference, context);
    if (problem) problems.push(problem);
    if (value !== undefined) settled.set(reference, value);
  }
  if (settled.size > 0) placeSettled(references, settled, context.elementsById);
  return problems;
}

interface Settlement {
  /** What the property refers to now, if anything. */
  value?: unknown;
  problem?: BpmnProblem;
}

function settle(reference: RawModdleReference, context: ReferenceContext): Settlement {
  const { element, id: value } = reference;
  if (!isModdleElement(element)) return {};
  const property = localName(reference.property);
  const colon = value.indexOf(':');
  if (colon > 0) {
    const uri = namespaceOfPrefix(element, value.slice(0, colon));
    const local = context.elementsById[value.slice(colon + 1)];
    if ((uri === BPMN_MODEL_NS_URI || uri === context.definitions.targetNamespace) && local !== undefined) {
      return { value: local };
    }
    if (uri !== undefined && uri !== BPMN_MODEL_NS_URI && uri !== context.definitions.targetNamespace) {
      return {
        value: stub(element, property, value, context.moddle, externalStubs),
        problem: {
          severity: 'warning',
          code: BpmnCodes.externalReference,
          message: `${describe(element)} refers to "${value}" (${property}) in another document (namespace ${uri}); kept as written.`,
          ...context.locate(element),
        },
      };
    }
  }
  const structural = STRUCTURAL[property]?.some((type) => element.$instanceOf(type)) ?? false;
  const severity = structural && !context.lenient ? 'error' : 'warning';
  const fate = context.lenient ? ' (kept as written)' : structural ? '' : ' (the reference is dropped)';
  return {
    value: context.lenient ? stub(element, property, value, context.moddle, danglingStubs) : undefined,
    problem: {
      severity,
      code: BpmnCodes.unknownReference,
      message: `${describe(element)} refers to "${value}" as its ${property}, but no element has that id${fate}.`,
      ...context.locate(element),
    },
  };
}

/**
 * Puts settled values in place. A single-valued property is set. A list (`flowNodeRef`...)
 * from which the reader removed its unresolved entries is rebuilt in the reader's order of
 * references, so each stub stands where its reference stood; a list that holds anything else
 * gets the values appended.
 */
function placeSettled(
  references: readonly RawModdleReference[],
  settled: ReadonlyMap<RawModdleReference, unknown>,
  elementsById: Record<string, unknown>,
): void {
  const lists = new Map<ModdleElement, Map<string, RawModdleReference[]>>();
  for (const reference of references) {
    const element = reference.element;
    if (!isModdleElement(element)) continue;
    const property = localName(reference.property);
    if (!isManyProperty(element, property)) {
      if (settled.has(reference)) element.set(property, settled.get(reference));
      continue;
    }
    const byProperty = lists.get(element) ?? new Map<string, RawModdleReference[]>();
    lists.set(element, byProperty);
    byProperty.set(property, [...(byProperty.get(property) ?? []), reference]);
  }
  for (const [element, byProperty] of lists) {
    for (const [property, listed] of byProperty) {
      const values = listed.filter((r) => settled.has(r)).map((r) => settled.get(r));
      if (values.length === 0) continue;
      const current = Array.isArray(element[property]) ? (element[property] as unknown[]) : [];
      const resolved = listed.filter((r) => elementsById[r.id]);
      const onlyReferences =
        current.length === resolved.length && resolved.every((r, i) => current[i] === elementsById[r.id]);
      if (onlyReferences) {
        const rebuilt = listed
          .map((r) => elementsById[r.id] ?? settled.get(r))
          .filter((value) => value !== undefined);
        element.set(property, rebuilt);
      } else {
        element.set(property, [...current, ...values]);
      }
    }
  }
}

function localName(property: string): string {
  // The reader names the property with its prefix (`bpmn:sourceRef`); elements use the local name.
  return property.slice(property.indexOf(':') + 1);
}

function describe(element: ModdleElement): string {
  const id = typeof element.id === 'string' ? ` "${element.id}"` : '';
  return `${element.$type}${id}`;
}

function isManyProperty(element: ModdleElement, property: string): boolean {
  return element.$descriptor.properties?.find((p) => p.name === property)?.isMany === true;
}

/** A stand-in carrying the reference text as its id; not added to the tree (the writer prints its id). */
function stub(
  element: ModdleElement,
  property: string,
  value: string,
  moddle: RawBpmnModdle,
  kind: WeakSet<object>,
): unknown {
  const type = element.$descriptor.properties?.find((p) => p.name === property)?.type;
  if (type === undefined) return undefined;
  const created = moddle.create(type, { id: value });
  if (typeof created === 'object' && created !== null) kind.add(created);
  return created;
}
