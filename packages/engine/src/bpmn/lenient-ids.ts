/**
 * Lenient reading of ids. moddle-xml's reader registers each element's id when it opens the
 * element's tag, and throws there on a duplicate or illegal id; in lax mode it turns that into
 * a warning and skips the element together with its whole subtree (bpmn-js opens such a file
 * with the element missing). The strict reading keeps that, and reports an error.
 *
 * The lenient reading must lose nothing, so it wraps the reading context's `addElement`: an
 * element whose id is a duplicate stays in the tree and is not registered (references to the
 * id resolve to the first element with it, as in the strict reading, and are written back as
 * the same id text); an element with an illegal id stays too, registered if the id is free.
 * Each case is recorded so the caller can report it.
 *
 * The hook uses two internals of moddle-xml 12: bpmn-moddle assigns the options it is given
 * onto the Reader, so a `handler` option replaces `Reader.prototype.handler`, which builds the
 * root handler; `Reader.fromXML` then assigns the new Context to `rootHandler.context`, which
 * every child handler reads. `installed()` tells whether that still happened.
 */
import type { ModdleElement } from './model.js';

export interface IdAnomaly {
  kind: 'duplicate' | 'illegal';
  id: string;
  element: ModdleElement;
  /** 0-based: how many elements with this id came before it in the document. */
  occurrence: number;
}

interface ReaderContext {
  elementsById: Record<string, unknown>;
  addElement(element: ModdleElement): void;
}

export interface IdAnomalyHook {
  /** Options for `moddle.fromXML`. */
  readerOptions: Record<string, unknown>;
  /** True once the reading context was wrapped (false: moddle-xml no longer works as assumed). */
  installed(): boolean;
}

/** A hook that keeps elements with duplicate or illegal ids, recording each in `found`. */
export function keepIdAnomalies(found: IdAnomaly[]): IdAnomalyHook {
  let installed = false;
  const readerOptions = {
    handler(this: object, typeName: string): object {
      const inherited = Object.getPrototypeOf(this) as { handler(this: object, typeName: string): object };
      const root = inherited.handler.call(this, typeName);
      let context: ReaderContext | undefined;
      Object.defineProperty(root, 'context', {
        configurable: true,
        enumerable: true,
        get: () => context,
        set: (value: ReaderContext | undefined) => {
          if (value !== undefined && value !== context) {
            wrapAddElement(value, found);
            installed = true;
          }
          context = value;
        },
      });
      return root;
    },
  };
  return { readerOptions, installed: () => installed };
}

function wrapAddElement(context: ReaderContext, found: IdAnomaly[]): void {
  const addElement = context.addElement;
  const seen = new Map<string, number>();
  context.addElement = function (this: ReaderContext, element: ModdleElement): void {
    const id = idOf(element);
    const occurrence = id === undefined ? 0 : (seen.get(id) ?? 0);
    if (id !== undefined) seen.set(id, occurrence + 1);
    try {
      addElement.call(this, element);
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (id === undefined) throw error;
      if (message.startsWith('duplicate ID <')) {
        found.push({ kind: 'duplicate', id, element, occurrence });
      } else if (message.startsWith('illegal ID <')) {
        found.push({ kind: 'illegal', id, element, occurrence });
        if (Object.hasOwn(this.elementsById, id)) found.push({ kind: 'duplicate', id, element, occurrence });
        else this.elementsById[id] = element;
      } else {
        throw error;
      }
    }
  };
}

function idOf(element: ModdleElement): string | undefined {
  const property = element.$descriptor.idProperty;
  if (property === undefined) return undefined;
  const id = element.get(property.name);
  return typeof id === 'string' && id !== '' ? id : undefined;
}
