/**
 * Typed access to `<bpmn:extensionElements>`, above all to Nagare's own (`nagare:*`). The
 * element types are derived from the moddle descriptor itself, so a property added there is
 * typed here with no second list to keep in step: String -> string, Integer/Real -> number,
 * Boolean -> boolean, another Nagare type -> that element (an array when `isMany`).
 */
import { isModdleElement, type ModdleElement } from './model.js';
import type { nagareModdleDescriptor } from './nagare-moddle.js';

type NagareTypeDescriptor = (typeof nagareModdleDescriptor)['types'][number];

/** `'Automation' | 'DataItem' | ...`: the local names of Nagare's element types. */
export type NagareTypeName = NagareTypeDescriptor['name'];

type PropertiesOf<N extends NagareTypeName> = Extract<
  NagareTypeDescriptor,
  { name: N }
>['properties'][number];

type ValueOf<T> = T extends 'String'
  ? string
  : T extends 'Integer' | 'Real'
    ? number
    : T extends 'Boolean'
      ? boolean
      : T extends NagareTypeName
        ? NagareElement<T>
        : unknown;

type PropertyValue<P> = P extends { isMany: true; type: infer T }
  ? ValueOf<T>[]
  : P extends { type: infer T }
    ? ValueOf<T>
    : never;

/** A `nagare:<N>` element as bpmn-moddle reads it: attributes are optional, as in the XML. */
export type NagareElement<N extends NagareTypeName> = ModdleElement & { readonly $type: `nagare:${N}` } & {
  [P in PropertiesOf<N> as P['name']]?: PropertyValue<P>;
};

/** The children of `<bpmn:extensionElements>` of an element (empty when it has none). */
export function extensionElements(element: ModdleElement): ModdleElement[] {
  const container = element.extensionElements;
  if (!isModdleElement(container)) return [];
  const values = container.values;
  return Array.isArray(values) ? values.filter(isModdleElement) : [];
}

/** Every `nagare:<name>` extension element of `element`, in document order. */
export function nagareExtensions<N extends NagareTypeName>(
  element: ModdleElement,
  name: N,
): NagareElement<N>[] {
  const type = `nagare:${name}`;
  return extensionElements(element).filter((child): child is NagareElement<N> => child.$type === type);
}

/** The first `nagare:<name>` extension element of `element`, if any. */
export function nagareExtension<N extends NagareTypeName>(
  element: ModdleElement,
  name: N,
): NagareElement<N> | undefined {
  return nagareExtensions(element, name)[0];
}
