/**
 * A small strict XML reader for Add-on XML: elements, attributes, text, CDATA, comments and
 * processing instructions, the five predefined entities and character references. It refuses
 * `<!DOCTYPE>` (no entity expansion, no external entities) and reports the first problem with
 * its 1-based line. Add-on files are small documents, so a whole tree is fine.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Text and CDATA content directly inside, concatenated. */
  readonly text: string;
  readonly line: number;
}

export type XmlRead =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly message: string; readonly line: number };

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class XmlProblem extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

interface Building {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

export function readXml(xml: string): XmlRead {
  const lineOf = (index: number) => {
    let line = 1;
    for (let i = xml.indexOf('\n'); i !== -1 && i < index; i = xml.indexOf('\n', i + 1)) line++;
    return line;
  };
  try {
    return { ok: true, root: parse(xml, lineOf) };
  } catch (e) {
    if (e instanceof XmlProblem) return { ok: false, message: e.message, line: lineOf(e.at) };
    throw e;
  }
}

function decodeText(text: string, at: number): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlProblem(`"&" must start an entity reference ending in ";"`, at);
    if (ref.startsWith('#x')) return codePoint(Number.parseInt(ref.slice(2), 16), at);
    if (ref.startsWith('#')) return codePoint(Number.parseInt(ref.slice(1), 10), at);
    const v = ENTITIES[ref];
    if (v === undefined) throw new XmlProblem(`unknown entity "&${ref};"`, at);
    return v;
  });
}

function codePoint(n: number, at: number): string {
  if (!Number.isInteger(n) || n <= 0 || n > 0x10ffff) throw new XmlProblem('bad character reference', at);
  return String.fromCodePoint(n);
}

function parse(xml: string, lineOf: (i: number) => number): XmlElement {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  const finish = (b: Building): XmlElement => {
    const el: XmlElement = Object.freeze({
      name: b.name,
      attributes: Object.freeze(b.attributes),
      children: Object.freeze(b.children),
      text: b.text,
      line: b.line,
    });
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root === undefined) root = el;
    else throw new XmlProblem('only one root element is allowed', i);
    return el;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const text = xml.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeText(text, i);
      else if (text.trim() !== '')
        throw new XmlProblem('text outside the root element', i + text.search(/\S/));
    }
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) throw new XmlProblem('comment not closed', i);
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end === -1) throw new XmlProblem('CDATA section not closed', i);
      const top = stack[stack.length - 1];
      if (!top) throw new XmlProblem('CDATA outside the root element', i);
      top.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) throw new XmlProblem('processing instruction not closed', i);
      i = end + 2;
    } else if (xml.startsWith('<!', i)) {
      throw new XmlProblem('DOCTYPE and other declarations are not allowed', i);
    } else if (xml.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(xml);
      if (!m) throw new XmlProblem('bad closing tag', i);
      const top = stack.pop();
      if (!top) throw new XmlProblem(`closing tag </${m[0]}> without an open element`, i);
      if (top.name !== m[0])
        throw new XmlProblem(`closing tag </${m[0]}> does not match <${top.name}> (line ${top.line})`, i);
      const close = xml.indexOf('>', NAME.lastIndex);
      if (close === -1 || xml.slice(NAME.lastIndex, close).trim() !== '')
        throw new XmlProblem(`bad closing tag </${m[0]}>`, i);
      finish(top);
      i = close + 1;
    } else {
      const start = i;
      NAME.lastIndex = i + 1;
      const m = NAME.exec(xml);
      if (!m) throw new XmlProblem('"<" must start a tag', i);
      i = NAME.lastIndex;
      const attributes: Record<string, string> = {};
      for (;;) {
        const ws = /\s*/y;
        ws.lastIndex = i;
        ws.exec(xml);
        const hadSpace = ws.lastIndex > i;
        i = ws.lastIndex;
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (i >= xml.length) throw new XmlProblem(`tag <${m[0]}> not closed`, start);
        if (!hadSpace) throw new XmlProblem(`attributes of <${m[0]}> must be separated by spaces`, i);
        NAME.lastIndex = i;
        const a = NAME.exec(xml);
        if (!a) throw new XmlProblem(`bad attribute in <${m[0]}>`, i);
        const eq = /\s*=\s*(["'])/y;
        eq.lastIndex = NAME.lastIndex;
        const q = eq.exec(xml);
        if (!q) throw new XmlProblem(`attribute ${a[0]} of <${m[0]}> needs a quoted value`, i);
        const end = xml.indexOf(q[1]!, eq.lastIndex);
        if (end === -1) throw new XmlProblem(`attribute ${a[0]} of <${m[0]}> not closed`, i);
        const raw = xml.slice(eq.lastIndex, end);
        if (raw.includes('<')) throw new XmlProblem(`"<" in the value of attribute ${a[0]}`, i);
        if (a[0] in attributes) throw new XmlProblem(`attribute ${a[0]} repeated in <${m[0]}>`, i);
        attributes[a[0]] = decodeText(raw, i);
        i = end + 1;
      }
      const building: Building = { name: m[0], attributes, children: [], text: '', line: lineOf(start) };
      if (xml.startsWith('/>', i)) {
        if (stack.length === 0 && root !== undefined)
          throw new XmlProblem('only one root element is allowed', start);
        finish(building);
        i += 2;
      } else {
        if (stack.length === 0 && root !== undefined)
          throw new XmlProblem('only one root element is allowed', start);
        stack.push(building);
        i += 1;
      }
    }
  }
  const open = stack[stack.length - 1];
  if (open) throw new XmlProblem(`element <${open.name}> (line ${open.line}) is not closed`, xml.length);
  if (root === undefined) throw new XmlProblem('no root element', 0);
  return root;
}
