// bpmn-moddle ships no typings for its main entry. This declares the small part we use;
// the element shapes we expose live in model.ts.
declare module 'bpmn-moddle' {
  export interface RawModdleWarning {
    message: string;
    element?: unknown;
    property?: string;
    value?: string;
    error?: Error;
  }

  export interface RawModdleReference {
    element: unknown;
    property: string;
    id: string;
  }

  export interface RawParseResult {
    rootElement: unknown;
    elementsById: Record<string, unknown>;
    references: RawModdleReference[];
    warnings: RawModdleWarning[];
  }

  export interface RawBpmnModdle {
    /** `options` are assigned onto moddle-xml's Reader (`lax`, or an override of its `handler`). */
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<RawParseResult>;
    toXML(element: unknown, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): unknown;
    getType(type: string): unknown;
  }

  export function BpmnModdle(
    packages?: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): RawBpmnModdle;
}
