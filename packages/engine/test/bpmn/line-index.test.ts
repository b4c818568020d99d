import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/bpmn/line-index.js';

function naivePosition(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('LineIndex', () => {
  it('agrees with counting newlines by hand', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', 'b', ' ') }), fc.nat(), (text, n) => {
        const offset = text.length === 0 ? 0 : n % text.length;
        expect(new LineIndex(text).positionAt(offset)).toEqual(naivePosition(text, offset));
      }),
    );
  });

  it('finds the first id attribute, not bpmnElement or prefixed ids', () => {
    const text = '<a bpmnElement="X" xsi:id="X"/>\n<b\n  id="X"/>\n<c id="X"/>';

    expect(new LineIndex(text).positionOfId('X')).toEqual({ line: 3, column: 3 });
    expect(new LineIndex(text).positionOfId('Y')).toBeUndefined();
  });

  it('finds the tag of a later element with the same id', () => {
    const text = '<a id="X"/>\n  <b\n  id="X"/><c id="X"/>';
    const lines = new LineIndex(text);

    expect(lines.tagPositionOfId('X', 0)).toEqual({ line: 1, column: 1 });
    expect(lines.tagPositionOfId('X', 1)).toEqual({ line: 2, column: 3 });
    expect(lines.tagPositionOfId('X', 2)).toEqual({ line: 3, column: 11 });
    expect(lines.tagPositionOfId('Y', 0)).toBeUndefined();
  });
});
