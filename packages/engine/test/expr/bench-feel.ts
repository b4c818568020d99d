/**
 * ns/op of FEEL evaluation: feelin (parse every call, as before the compiler) against
 * evaluateFeel / evaluateCondition (compiled). Run: `npx tsx packages/engine/test/expr/bench-feel.ts`.
 * Not a test: numbers go into the comment at the top of src/expr/compile/compile-feel.ts.
 */
import { evaluate } from 'feelin';
import { evaluateCondition, evaluateFeel } from '../../src/expr/feel.js';
import { toFeelContext } from '../../src/expr/feel-values.js';

const data = { amount: 42, ok: true, q_price: 12.5, q_quantity: 3, q_a: 2, q_b: 'x', q_c: 7 };
const cases: readonly { readonly expr: string; readonly condition?: boolean }[] = [
  { expr: '42' },
  { expr: 'amount + 1' },
  { expr: 'amount > 10 and ok', condition: true },
  { expr: 'if amount > 10 then "high" else "low"' },
  { expr: 'q_price * q_quantity' },
  { expr: 'q_a > 1 and q_b = "x" or q_c < 5', condition: true },
  { expr: 'amount > 10', condition: true },
];

function nsPerOp(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 50_000); i++) fn(i);
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) if (fn(i) !== undefined) sink++;
  const ns = ((performance.now() - start) * 1e6) / n;
  if (sink < 0) console.log(sink);
  return ns;
}

const rows: string[] = [];
for (const { expr, condition } of cases) {
  const before = nsPerOp(5_000, () => evaluate(expr, toFeelContext(data)).value);
  const after = nsPerOp(1_000_000, () =>
    condition ? evaluateCondition(expr, data) : evaluateFeel(expr, data),
  );
  rows.push(
    `${expr.padEnd(44)} ${(before / 1000).toFixed(0).padStart(6)} µs  ${after.toFixed(0).padStart(6)} ns`,
  );
}
console.log(rows.join('\n'));
