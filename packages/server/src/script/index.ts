export { type AddonTestCase, type AddonTestRun, runAddonTests } from './harness/run-addon-tests.js';
export { type AddonFileResult, addonFiles, runAddonCorpus } from './harness/run-corpus.js';
export {
  HTTP_REQUEST_LIMIT,
  runScript,
  type ScriptAuthorization,
  type ScriptAuthSetting,
  type ScriptFetch,
  type ScriptOutcome,
  type ScriptRun,
} from './run-script.js';
export { DEFAULT_LIMITS, runInSandbox, type SandboxLimits, type SandboxResult } from './sandbox.js';
