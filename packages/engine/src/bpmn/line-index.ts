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
  readonly #text: string;
  readonly #lineStarts: number[];
  /** Offsets of every `id="..."` attribute, by id, in document order. */
  readonly #idOffsets = new Map<string, number[]>();

  constructor(text: string) {
    this.#text = text;
    this.#lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#lineStarts.push(i + 1);
    for (const match of text.matchAll(ID_ATTRIBUTE)) {
      const id = match[2] ?? match[3];
      if (id === undefined) continue;
      const offsets = this.#idOffsets.get(id);
      if (offsets) offsets.push(match.index + 1);
      else this.#idOffsets.set(id, [match.index + 1]);
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

  /**
   * Where the first `id="..."` attribute with this id stands, if the id occurs in the text
   * (first, because a duplicate id is reported at its later occurrences, by the reader).
   */
  positionOfId(id: string): SourcePosition | undefined {
    const offset = this.#idOffsets.get(id)?.[0];
    return offset === undefined ? undefined : this.positionAt(offset);
  }

  /**
   * Where the tag of the `occurrence`-th (0-based) element with this id starts: the position
   * the reader gives when it reports an id while reading that tag. Attribute values hold no
   * raw `<`, so the tag starts at the last `<` before its id attribute.
   */
  tagPositionOfId(id: string, occurrence: number): SourcePosition | undefined {
    const offsets = this.#idOffsets.get(id);
    const offset = offsets?.[occurrence] ?? offsets?.at(-1);
    if (offset === undefined) return undefined;
    const start = this.#text.lastIndexOf('<', offset);
    return this.positionAt(start === -1 ? offset : start);
  }
}

// ` id="x"` or ` id='x'` (whitespace before, so `bpmnElement=` or `xsi:id=` do not match).
const ID_ATTRIBUTE = /\s(id)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
