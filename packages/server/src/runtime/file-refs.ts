/**
 * Which file references submitted data may hold (docs/workflow-api.md, Files). A file item's
 * value names files by id only, and whoever can see an issue can download the files its data
 * names; so a submitted value may name a file only if the issue's current value of that same
 * item already holds it (kept or reordered), or it is one of the `allowed` ids the entry point
 * vouches for: files stored by this same request (uploads) and, for a task, files in the
 * caller's own saved form. Anything else (an id guessed or taken from another issue) is refused.
 */
import type { DataValues } from '@nagare/engine';

export interface FileRefProblem {
  readonly code: 'FOREIGN_FILE';
  readonly fieldName: string;
  readonly message: string;
}

/** The ids of the file references in one value: objects with a string `id` in a list. */
function refIds(value: unknown, fileItem: boolean): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    if (v === null || typeof v !== 'object') continue;
    const id = (v as { id?: unknown }).id;
    // A file item's entries are all references; elsewhere, what a download would take for one.
    if (typeof id === 'string' && (fileItem || 'contentType' in v)) out.push(id);
  }
  return out;
}

/** Every file id in some data values (a saved form, say). */
export function fileIdsOf(data: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.values(data ?? {}).flatMap((value) => refIds(value, false));
}

/**
 * The problems of `incoming`'s file references against the issue's `current` data (empty for
 * a start), each naming its item; none when every reference is the issue's or allowed.
 */
export function foreignFileRefs(
  items: readonly { readonly fieldName: string; readonly type: string }[],
  current: DataValues,
  incoming: Readonly<Record<string, unknown>>,
  allowed: Iterable<string>,
): FileRefProblem[] {
  const extra = new Set(allowed);
  const fileItems = new Set(items.filter((i) => i.type === 'file').map((i) => i.fieldName));
  const problems: FileRefProblem[] = [];
  for (const [fieldName, value] of Object.entries(incoming)) {
    const fileItem = fileItems.has(fieldName);
    const ids = refIds(value, fileItem);
    if (ids.length === 0) continue;
    const own = new Set(refIds(current[fieldName], fileItem));
    const foreign = ids.filter((id) => !own.has(id) && !extra.has(id));
    if (foreign.length === 0) continue;
    problems.push({
      code: 'FOREIGN_FILE',
      fieldName,
      message: `${fieldName}: file ${foreign.map((id) => `"${id}"`).join(', ')} is not one of the issue's or this request's files`,
    });
  }
  return problems;
}
