/**
 * Line numbers for problems. bpmn-moddle knows the line only for errors raised while reading a
 * tag; for problems found afterwards (unresolved references) we look the element's id up in
 * an index built from the source text with one regular-expression pass — far cheaper than a
 * second, position-tracking XML parse.
 */
export interface SourcePosition {
  line: number;
  column: number;
}

export class LineIndex {
  readonly #lineStarts: number[];
  readonly #idOffsets = new Map<string, number>();

  constructor(text: string) {
    this.#lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#lineStarts.push(i + 1);
    // First occurrence wins: a duplicate id is reported at its second occurrence by the reader.
    for (const match of text.matchAll(ID_ATTRIBUTE)) {
      const id = match[2] ?? match[3];
      if (id !== undefined && !this.#idOffsets.has(id)) this.#idOffsets.set(id, match.index + 1);
    }
  }

  /** 1-based line and column of a 0-based character offset. */
  positionAt(offset: number): SourcePosition {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.#lineStarts[low]! + 1 };
  }

  /** Where the `id="..."` attribute of an element stands, if the id occurs in the text. */
  positionOfId(id: string): SourcePosition | undefined {
    const offset = this.#idOffsets.get(id);
    return offset === undefined ? undefined : this.positionAt(offset);
  }
}

// ` id="x"` or ` id='x'` (whitespace before, so `bpmnElement=` or `xsi:id=` do not match).
const ID_ATTRIBUTE = /\s(id)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
