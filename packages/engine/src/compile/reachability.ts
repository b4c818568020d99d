/**
 * Inclusive-join reachability, computed once per App version.
 *
 * An inclusive join J fires when every incoming flow either has a token waiting at J or can
 * no longer get one. "Can still get one" = some token of the same scope sits on a node from
 * which the flow's source is reachable without passing J. For each J and incoming flow f we
 * store that node set (reverse search from f's source; boundary events count as edges out of
 * their activity), so the runtime check is a set lookup per token — cycles included.
 */
import type { CompiledFlow, CompiledNode } from '../model/compiled-app.js';

export function inclusiveReachability(
  nodes: Readonly<Record<string, CompiledNode>>,
  flows: Readonly<Record<string, CompiledFlow>>,
): Record<string, Record<string, ReadonlySet<string>>> {
  // predecessors: flow sources, and the activity a boundary event is attached to
  const preds = new Map<string, string[]>();
  const add = (to: string, from: string): void => {
    const list = preds.get(to);
    if (list) list.push(from);
    else preds.set(to, [from]);
  };
  for (const f of Object.values(flows)) add(f.target, f.source);
  for (const n of Object.values(nodes)) if (n.kind === 'boundary') add(n.id, n.attachedTo);

  const out: Record<string, Record<string, ReadonlySet<string>>> = {};
  for (const j of Object.values(nodes)) {
    if (j.kind !== 'inclusive' || j.incoming.length < 2) continue;
    const perFlow: Record<string, ReadonlySet<string>> = {};
    for (const fid of j.incoming) {
      const f = flows[fid];
      if (!f) continue;
      const seen = new Set<string>();
      const stack = [f.source];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n === j.id || seen.has(n)) continue;
        seen.add(n);
        for (const p of preds.get(n) ?? []) stack.push(p);
      }
      perFlow[fid] = seen;
    }
    out[j.id] = perFlow;
  }
  return out;
}
