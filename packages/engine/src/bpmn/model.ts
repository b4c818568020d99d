/**
 * The shape of the moddle tree that parseBpmn returns. bpmn-moddle builds plain objects whose
 * properties follow the BPMN meta-model; we type only what every element has and leave the
 * rest as `unknown`, to be narrowed by the reader (see the helpers in extensions.ts and
 * walk.ts). `$type` is a qualified name such as `bpmn:UserTask` or `nagare:Automation`.
 */
export interface ModdlePropertyDescriptor {
  readonly name: string;
  readonly type: string;
  readonly isMany?: boolean;
  readonly isAttr?: boolean;
  readonly isReference?: boolean;
  readonly isBody?: boolean;
  readonly isId?: boolean;
  readonly default?: unknown;
  readonly ns: { readonly name: string; readonly prefix: string; readonly localName: string };
}

export interface ModdleTypeDescriptor {
  readonly name: string;
  readonly isGeneric?: boolean;
  readonly ns: { prefix?: string; localName: string; uri?: string; name?: string };
  readonly properties?: readonly ModdlePropertyDescriptor[];
  /** Properties by local and by prefixed name (`sourceRef`, `bpmn:sourceRef`). */
  readonly propertiesByName?: Readonly<Record<string, ModdlePropertyDescriptor>>;
  /** The property holding the element's id (`id` for BPMN and DI elements), if it has one. */
  readonly idProperty?: ModdlePropertyDescriptor;
}

export interface ModdleElement {
  readonly $type: string;
  readonly $descriptor: ModdleTypeDescriptor;
  $parent?: ModdleElement;
  /** Attributes the meta-model does not know (other vendors' `camunda:*`, `xmlns:*`...). */
  $attrs?: Record<string, string>;
  /** Child elements of an element the meta-model does not know. */
  $children?: ModdleElement[];
  /** Text content of an element the meta-model does not know. */
  $body?: string;
  id?: string;
  name?: string;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  [property: string]: unknown;
}

/** The root of a BPMN document: `bpmn:Definitions`. */
export interface BpmnDefinitions extends ModdleElement {
  readonly $type: 'bpmn:Definitions';
  targetNamespace?: string;
  rootElements?: ModdleElement[];
  diagrams?: ModdleElement[];
  imports?: ModdleElement[];
}

export function isModdleElement(value: unknown): value is ModdleElement {
  return (
    typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string'
  );
}

/** True if `element` is of `type` or a subtype (`is(task, 'bpmn:Activity')`). */
export function is(element: unknown, type: string): element is ModdleElement {
  return isModdleElement(element) && element.$instanceOf(type);
}

/**
 * The elements of a many-valued property (an empty array when unset). Reads the field directly:
 * moddle's `get` would create and attach an empty array as a side effect.
 */
export function many(element: ModdleElement, property: string): ModdleElement[] {
  const value = element[property];
  return Array.isArray(value) ? value.filter(isModdleElement) : [];
}
