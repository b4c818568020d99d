// saxen (the XML reader under bpmn-moddle) ships no typings; this declares the part we use.
declare module 'saxen' {
  export interface SaxenContext {
    /** 0-based line and column of the parser position. */
    readonly line: number;
    readonly column: number;
    readonly data: string;
  }
  type GetContext = () => SaxenContext;
  type Decode = (text: string) => string;
  export class Parser {
    constructor(options?: { proxy?: boolean });
    on(
      event: 'openTag',
      cb: (
        name: string,
        getAttrs: () => Record<string, string>,
        decode: Decode,
        selfClosing: boolean,
        getContext: GetContext,
      ) => void,
    ): this;
    on(
      event: 'closeTag',
      cb: (name: string, decode: Decode, selfClosing: boolean, getContext: GetContext) => void,
    ): this;
    on(event: 'text', cb: (value: string, decode: Decode, getContext: GetContext) => void): this;
    on(event: 'cdata', cb: (value: string, getContext: GetContext) => void): this;
    on(
      event: 'attention' | 'comment',
      cb: (value: string, decode: Decode, getContext: GetContext) => void,
    ): this;
    on(event: 'question', cb: (value: string, getContext: GetContext) => void): this;
    on(event: 'error' | 'warn', cb: (error: Error, getContext: GetContext) => void): this;
    ns(namespaces?: Record<string, string>): this;
    parse(xml: string): Error | undefined;
    stop(): void;
  }
  export function decode(text: string): string;
}
