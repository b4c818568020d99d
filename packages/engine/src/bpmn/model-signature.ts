/**
 * A model's "signature": what a BPMN round trip (read -> write -> read) must preserve, as
 * sorted lists of strings, one list per concern. Two reads of the same model have equal
 * signatures; a difference names exactly what was lost or changed. Shared by the round-trip
 * tests and the conformance report (scripts/conformance), and pure: no I/O.
 *
 * Names in the foreign list are written `{namespace-uri}local`, so a prefix renamed by the
 * writer (two vendors both using `di:`) is no difference, while a lost element or attribute is.
 */
import { isModdleElement, type ModdleElement } from './model.js';
import { namespaceOfPrefix } from './namespaces.js';
import { walkModdle } from './walk.js';

export interface ModelSignature {
  /** `type|id|name` of flow elements, participants, lanes, data and artifacts (at any depth). */
  elements: string[];
  /** `type|id|source->target|condition` of sequence flows, message flows and associations. */
  flows: string[];
  /** `lane|id|parent|flowNodeRef ids` (nested lane sets included). */
  lanes: string[];
  /** `event id|definitions (type#id refs)|attachedTo=...` of every event. */
  events: string[];
  /** `shape id|bpmnElement|bounds|attributes|label bounds` of every BPMNShape. */
  shapes: string[];
  /** `edge id|bpmnElement|waypoints|attributes|label bounds` of every BPMNEdge. */
  edges: string[];
  /** Elements, attributes and texts in namespaces the reader does not know (other vendors). */
  foreign: string[];
}

export type SignatureSection = keyof ModelSignature;

export const SIGNATURE_SECTIONS: readonly SignatureSection[] = [
  'elements',
  'flows',
  'lanes',
  'events',
  'shapes',
  'edges',
  'foreign',
];

export function modelSignature(root: ModdleElement): ModelSignature {
  const signature: ModelSignature = {
    elements: [],
    flows: [],
    lanes: [],
    events: [],
    shapes: [],
    edges: [],
    foreign: [],
  };
  walkModdle(root, (element) => {
    if (element.$descriptor.isGeneric) {
      addGeneric(element, signature.foreign);
      return;
    }
    addForeignAttributes(element, signature.foreign);
    if (isSemantic(element))
      signature.elements.push(`${element.$type}|${element.id ?? ''}|${text(element.name)}`);
    if (isFlow(element)) signature.flows.push(flowLine(element));
    if (element.$instanceOf('bpmn:Lane')) signature.lanes.push(laneLine(element));
    if (element.$instanceOf('bpmn:Event')) signature.events.push(eventLine(element));
    if (element.$type === 'bpmndi:BPMNShape') signature.shapes.push(shapeLine(element));
    if (element.$type === 'bpmndi:BPMNEdge') signature.edges.push(edgeLine(element));
  });
  for (const section of SIGNATURE_SECTIONS) signature[section].sort();
  return signature;
}

/** Human-readable differences, at most `limit` per section; empty when the signatures match. */
export function diffModelSignatures(before: ModelSignature, after: ModelSignature, limit = 5): string[] {
  const differences: string[] = [];
  for (const section of SIGNATURE_SECTIONS) {
    const { onlyLeft, onlyRight } = multisetDifference(before[section], after[section]);
    for (const line of onlyLeft.slice(0, limit)) differences.push(`${section}: lost ${line}`);
    for (const line of onlyRight.slice(0, limit)) differences.push(`${section}: gained ${line}`);
    const hidden =
      onlyLeft.length +
      onlyRight.length -
      Math.min(onlyLeft.length, limit) -
      Math.min(onlyRight.length, limit);
    if (hidden > 0) differences.push(`${section}: ... and ${hidden} more`);
  }
  return differences;
}

function multisetDifference(left: readonly string[], right: readonly string[]) {
  const counts = new Map<string, number>();
  for (const line of left) counts.set(line, (counts.get(line) ?? 0) + 1);
  const onlyRight: string[] = [];
  for (const line of right) {
    const count = counts.get(line) ?? 0;
    if (count > 0) counts.set(line, count - 1);
    else onlyRight.push(line);
  }
  const onlyLeft = [...counts].flatMap(([line, count]) => Array<string>(count).fill(line));
  return { onlyLeft, onlyRight };
}

function isSemantic(element: ModdleElement): boolean {
  return SEMANTIC_TYPES.some((type) => element.$instanceOf(type));
}

const SEMANTIC_TYPES = [
  'bpmn:FlowElement',
  'bpmn:Participant',
  'bpmn:Lane',
  'bpmn:Artifact',
  'bpmn:ItemAwareElement',
];

function isFlow(element: ModdleElement): boolean {
  return FLOW_TYPES.some((type) => element.$instanceOf(type));
}

const FLOW_TYPES = ['bpmn:SequenceFlow', 'bpmn:MessageFlow', 'bpmn:Association'];

function flowLine(element: ModdleElement): string {
  const condition = element.conditionExpression;
  const body = isModdleElement(condition) ? text(condition.body) : '';
  return `${element.$type}|${element.id ?? ''}|${refId(element.sourceRef)}->${refId(element.targetRef)}|${body}`;
}

function laneLine(lane: ModdleElement): string {
  const owner = lane.$parent?.$parent;
  const nodes = refIds(lane.flowNodeRef).sort().join(',');
  return `lane|${lane.id ?? ''}|in=${owner?.id ?? ''}|${nodes}`;
}

function eventLine(event: ModdleElement): string {
  const definitions = (Array.isArray(event.eventDefinitions) ? event.eventDefinitions : [])
    .filter(isModdleElement)
    .map((definition) => `${definition.$type}#${definition.id ?? ''}${referenceAttributes(definition)}`)
    .join(';');
  const attached = event.attachedToRef === undefined ? '' : `|attachedTo=${refId(event.attachedToRef)}`;
  return `${event.id ?? ''}|${definitions}${attached}`;
}

/** ` messageRef=m1 ...` for the reference properties of an event definition. */
function referenceAttributes(element: ModdleElement): string {
  return (element.$descriptor.properties ?? [])
    .filter((property) => property.isReference && element[property.name] !== undefined)
    .map((property) => ` ${property.name}=${refIds(element[property.name]).join(',')}`)
    .join('');
}

function shapeLine(shape: ModdleElement): string {
  return `${shape.id ?? ''}|${refId(shape.bpmnElement)}|${bounds(shape.bounds)}|${simpleAttributes(shape)}|label=${labelBounds(shape)}`;
}

function edgeLine(edge: ModdleElement): string {
  const waypoints = (Array.isArray(edge.waypoint) ? edge.waypoint : [])
    .filter(isModdleElement)
    .map((point) => `${String(point.x)},${String(point.y)}`)
    .join(' ');
  return `${edge.id ?? ''}|${refId(edge.bpmnElement)}|${waypoints}|${simpleAttributes(edge)}|label=${labelBounds(edge)}`;
}

function labelBounds(element: ModdleElement): string {
  return isModdleElement(element.label) ? bounds(element.label.bounds) : '';
}

function bounds(value: unknown): string {
  if (!isModdleElement(value)) return '';
  return `${String(value.x)},${String(value.y)},${String(value.width)},${String(value.height)}`;
}

/**
 * isExpanded, isHorizontal, colours...: every attribute-valued property set to other than its
 * default (the writer leaves defaults out, the reader puts them back).
 */
function simpleAttributes(element: ModdleElement): string {
  return (element.$descriptor.properties ?? [])
    .filter((property) => property.isAttr && !property.isReference && property.name !== 'id')
    .filter((property) => element[property.name] !== undefined && element[property.name] !== property.default)
    .map((property) => `${property.name}=${String(element[property.name])}`)
    .sort()
    .join(' ');
}

function addGeneric(element: ModdleElement, out: string[]): void {
  const name = `{${element.$descriptor.ns.uri ?? ''}}${element.$descriptor.ns.localName}`;
  out.push(`element ${name}`);
  for (const [key, value] of Object.entries(element)) {
    if (key.startsWith('$') || isNamespaceDeclaration(key) || typeof value !== 'string') continue;
    out.push(`attribute ${name}@${qualified(element, key)}=${value}`);
  }
  if (typeof element.$body === 'string' && element.$body.trim() !== '') {
    out.push(`text ${name}=${element.$body.trim()}`);
  }
}

function addForeignAttributes(element: ModdleElement, out: string[]): void {
  for (const [key, value] of Object.entries(element.$attrs ?? {})) {
    if (isNamespaceDeclaration(key)) continue;
    out.push(`attribute ${element.$type}@${qualified(element, key)}=${value}`);
  }
}

/**
 * Namespace declarations are not content (the writer may move them), and `xsi:type` is a type
 * marker the reader turns into the element's `$type` and the writer puts back where needed.
 */
function isNamespaceDeclaration(key: string): boolean {
  return key === 'xmlns' || key.startsWith('xmlns:') || key === 'xsi:type';
}

/** `prefix:local` as `{uri}local`, the prefix resolved where the element stands. */
function qualified(element: ModdleElement, key: string): string {
  const colon = key.indexOf(':');
  if (colon === -1) return key;
  const prefix = key.slice(0, colon);
  if (prefix === 'xml') return key;
  return `{${namespaceOfPrefix(element, prefix) ?? prefix}}${key.slice(colon + 1)}`;
}

function refId(value: unknown): string {
  return isModdleElement(value) ? (value.id ?? '?') : value === undefined ? '' : String(value);
}

function refIds(value: unknown): string[] {
  return Array.isArray(value) ? value.map(refId) : value === undefined ? [] : [refId(value)];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
