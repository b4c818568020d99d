import { issueFiles, itemsForScript, writesToData } from '../../script/data-bridge.js';
import { runScript } from '../../script/run-script.js';
import { storeStagedFiles } from '../../script/script-files.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { readScriptConfig, runZone } from './config.js';
import { type ScriptHostDeps, scriptHost } from './host.js';

/**
 * Runs a `bpmn:scriptTask`'s JavaScript in the QuickJS sandbox with the product's script API.
 * The script's data writes come back as the job's data (committed with JobSucceeded, all
 * together); a script that throws, times out or exceeds a limit fails the step and writes
 * nothing. Files the script made are stored only after it succeeded and its writes fit their
 * items. Script failures are not retryable: the same script fails the same way again.
 */
export function scriptConnector(deps: ScriptHostDeps = {}): Connector {
  const host = scriptHost(deps);
  return {
    type: 'script',
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const read = readScriptConfig(job.automation);
      if (!read.ok)
        return { ok: false, error: { code: 'BAD_CONFIG', message: read.error }, retryable: false };
      const config = read.config;
      const issue = await job.issue();
      const zone = runZone(config.timeZone, issue.timeZone);
      const configs = Object.fromEntries(Object.entries(config.configs).map(([k, v]) => [k, { value: v }]));
      const title = issue.data.title;
      const outcome = await runScript({
        workspaceId: job.workspaceId,
        appId: issue.appId,
        issueId: job.issueId,
        idempotencyKey: job.idempotencyKey,
        debug: issue.mode === 'test',
        script: config.body,
        scriptName: `${job.node}.js`,
        items: itemsForScript(issue.app.dataItems, issue.data),
        configs,
        timeZone: zone.zone,
        ...(typeof title === 'string' ? { title } : {}),
        fetch: host.fetchFor(job),
        ...(host.authorization ? { authorization: host.authorization } : {}),
        ...(host.mailer ? { mailer: host.mailer } : {}),
        ...(host.fileStore ? { files: host.fileStore } : {}),
        limits: { timeoutMs: config.timeoutMs },
        signal,
      });
      if (!outcome.ok)
        return { ok: false, error: { code: outcome.code, message: outcome.message }, retryable: false };
      const data = writesToData(outcome.writes, issue.app.dataItems, zone.zone, {
        known: issueFiles(issue.data, issue.app.dataItems),
        staged: outcome.files.length,
      });
      if (!data.ok)
        return { ok: false, error: { code: 'SCRIPT_BAD_VALUE', message: data.error }, retryable: false };
      const stored = await storeStagedFiles(data.data, outcome.files, host.fileStore, job.workspaceId);
      if (!stored.ok)
        return { ok: false, error: { code: stored.code, message: stored.message }, retryable: false };
      return { ok: true, data: stored.data };
    },
  };
}
