/**
 * Inclusive-join reachability, computed once per App version.
 *
 * An inclusive join J fires when every incoming flow either has a token waiting at J or can
 * no longer get one. "Can still get one" = some token of the same scope sits on a node from
 * which the flow's source is reachable without passing J. For each J and incoming flow f we
 * store that node set (reverse search from f's source; boundary events count as edges out of
 * their activity), so the runtime check is a set lookup per token — cycles included.
 *
 * One refinement makes loops that contain J work: a path may not pass through another join
 * (parallel or inclusive) that cannot get all its tokens before J fires — computed as a
 * fixpoint from the scope's start events, where a join needs every incoming source (so a join
 * behind such a join is blocked too). A token upstream of a blocked join cannot get past it
 * before J fires, so it must not hold J back (found by the property tests: parallel blocks
 * inside a loop around an inclusive join).
 */
import type { CompiledFlow, CompiledNode } from '../model/compiled-app.js';

export function inclusiveReachability(
  nodes: Readonly<Record<string, CompiledNode>>,
  flows: Readonly<Record<string, CompiledFlow>>,
): Record<string, Record<string, ReadonlySet<string>>> {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string): void => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const f of Object.values(flows)) {
    add(preds, f.target, f.source);
    add(succs, f.source, f.target);
  }
  for (const n of Object.values(nodes)) {
    if (n.kind === 'boundary') {
      add(preds, n.id, n.attachedTo);
      add(succs, n.attachedTo, n.id);
    }
    if (n.kind === 'linkThrow') {
      add(preds, n.target, n.id);
      add(succs, n.id, n.target);
    }
  }

  const out: Record<string, Record<string, ReadonlySet<string>>> = {};
  for (const j of Object.values(nodes)) {
    if (j.kind !== 'inclusive' || j.incoming.length < 2) continue;
    // Nodes that can get a token without J firing: from the scope's start events, where a
    // join (parallel or inclusive, several incoming flows) needs every incoming source.
    const isJoin = (n: CompiledNode): boolean =>
      (n.kind === 'parallel' || n.kind === 'inclusive') && n.incoming.length > 1;
    const fromStart = new Set<string>(
      Object.values(nodes)
        .filter((n) => n.kind === 'start' && n.parent === j.parent)
        .map((n) => n.id),
    );
    // a sub-process without a start event starts at its steps without incoming flows
    const scopeNode = j.parent === null ? undefined : nodes[j.parent];
    if (scopeNode?.kind === 'subProcess') {
      fromStart.add(scopeNode.start);
      for (const s of scopeNode.alsoStart ?? []) fromStart.add(s);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const n of Object.values(nodes)) {
        if (n.id === j.id || n.parent !== j.parent || fromStart.has(n.id)) continue;
        const sources = (preds.get(n.id) ?? []).filter((p) => p !== j.id);
        const ok = isJoin(n)
          ? sources.length === n.incoming.length && sources.every((p) => fromStart.has(p))
          : sources.some((p) => fromStart.has(p));
        if (ok) {
          fromStart.add(n.id);
          changed = true;
        }
      }
    }
    const blocked = (id: string): boolean => {
      const n = nodes[id];
      return n !== undefined && isJoin(n) && !fromStart.has(id);
    };
    const perFlow: Record<string, ReadonlySet<string>> = {};
    for (const fid of j.incoming) {
      const f = flows[fid];
      if (!f) continue;
      const seen = new Set<string>();
      const todo = [f.source];
      while (todo.length > 0) {
        const n = todo.pop()!;
        if (n === j.id || seen.has(n) || blocked(n)) continue;
        seen.add(n);
        for (const p of preds.get(n) ?? []) todo.push(p);
      }
      perFlow[fid] = seen;
    }
    out[j.id] = perFlow;
  }
  return out;
}
