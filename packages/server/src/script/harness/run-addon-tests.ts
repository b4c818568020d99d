/**
 * Runs an add-on's `<test>` block against its `<script>` in the sandbox, with the product's
 * test harness. v2 add-ons (`<addon-version>`): the script is evaluated first (it only declares
 * functions), then the tests, which call `main()` themselves. v1 add-ons: only the tests are
 * evaluated and `execute()` evaluates the script in the same global scope.
 */
import type { AddonDefinition } from '../../addons/addon-xml.js';
import { apiSource } from '../api/prelude.js';
import { runInSandbox, type SandboxSource } from '../sandbox.js';
import { HARNESS_GLOBALS, HARNESS_SOURCE } from './harness-source.js';

export interface AddonTestCase {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed (first few problems). */
  readonly problems: readonly string[];
}

export interface AddonTestRun {
  readonly cases: readonly AddonTestCase[];
  /** The test block could not run at all (syntax error, limit reached): no case counted. */
  readonly error?: string;
}

/** Per case: a few cases build 50 MB strings by appending (slow in QuickJS); they fail alone. */
export const CASE_TIMEOUT_MS = 30_000;

export async function runAddonTests(
  addon: Pick<AddonDefinition, 'script' | 'test' | 'addonVersion'>,
  options: { timeoutMs?: number; caseTimeoutMs?: number } = {},
): Promise<AddonTestRun> {
  if (addon.test === undefined) return { cases: [] };
  const sources: SandboxSource[] = [apiSource(HARNESS_SOURCE, HARNESS_GLOBALS)];
  if (addon.addonVersion !== undefined) sources.push({ name: 'addon/script.js', code: addon.script });
  else
    sources.push({ name: 'addon/harness.js', code: `__harness.setScript(${JSON.stringify(addon.script)});` });
  sources.push({ name: 'addon/test.js', code: addon.test });
  const result = await runInSandbox({
    sources,
    final: '',
    perCase: {
      count: '__harness.count()',
      run: '__harness.runOne($i)',
      timeoutMs: options.caseTimeoutMs ?? CASE_TIMEOUT_MS,
    },
    limits: { timeoutMs: options.timeoutMs ?? 600_000, memoryBytes: 1024 * 1024 * 1024 },
  });
  if (!result.ok) {
    const where = result.error.source ? ` (in ${result.error.source})` : '';
    return { cases: [], error: `${result.error.message}${where}` };
  }
  const answers = JSON.parse(result.value) as (AddonTestCase | { error: string })[];
  // a case whose scope could not even be set up (the error names it) counts as failed
  return {
    cases: answers.map((a, i) =>
      'error' in a ? { name: `case ${i + 1}`, ok: false, problems: [`could not run: ${a.error}`] } : a,
    ),
  };
}
