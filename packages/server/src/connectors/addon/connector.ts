import type { AddonDefinition } from '../../addons/addon-xml.js';
import { issueFiles, itemsForScript, writesToData } from '../../script/data-bridge.js';
import { runScript, type ScriptAuthSetting } from '../../script/run-script.js';
import { deleteFiles, storeStagedFiles } from '../../script/script-files.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { readStepZone, runZone } from '../script/config.js';
import { type ScriptHostDeps, scriptHost } from '../script/host.js';
import { readAddonConfigs } from './config.js';
import { type StartEventAddons, startEventAddons } from './start-events.js';

/** Finds an imported add-on of the Workspace: `version` undefined means the latest. */
export type AddonLoader = (
  workspaceId: string,
  addonId: string,
  version?: number,
) => Promise<AddonDefinition | undefined>;

export interface AddonConnectorDeps extends ScriptHostDeps {
  readonly addons?: AddonLoader;
  /** How often and how long to call `proceed()` of a long-running add-on within one job run. */
  readonly proceedEveryMs?: number;
  readonly proceedAttempts?: number;
}

/**
 * Runs an imported add-on (`<nagare:automation type="addon" addon="id[@version]">`): its script
 * in the sandbox, then `main()` (v2 add-ons; v1 scripts run top to bottom). A long-running
 * add-on's `main()` answers `false`; then `proceed()` is called every `proceedEveryMs` with the
 * temporary data it saved, until it answers anything but `false` or the attempts run out.
 * The writes of every call are committed together at the end, only on success.
 */
export function addonConnector(
  deps: AddonConnectorDeps = {},
): Connector & { readonly startEvents: StartEventAddons } {
  const host = scriptHost(deps);
  const every = deps.proceedEveryMs ?? 2_000;
  const attempts = deps.proceedAttempts ?? 15;
  const bad = (message: string): ConnectorResult => ({
    ok: false,
    error: { code: 'BAD_CONFIG', message },
    retryable: false,
  });
  return {
    type: 'addon',
    // start events carrying an add-on (runtime/addon-starts.ts and the webhook route run them)
    startEvents: startEventAddons(deps),
    async run(job: JobRun, signal: AbortSignal): Promise<ConnectorResult> {
      const ref = job.automation.addon?.trim() ?? '';
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})(?:@(\d+))?$/.exec(ref);
      if (!m) return bad(`the step names no add-on (automation addon="id" or "id@version"), got "${ref}"`);
      if (!deps.addons) return bad('add-ons are not available on this server');
      const addon = await deps.addons(job.workspaceId, m[1]!, m[2] === undefined ? undefined : Number(m[2]));
      if (!addon) return bad(`no add-on "${ref}" in this workspace`);
      if (addon.type !== 'SERVICE_TASK') return bad(`add-on "${ref}" is a ${addon.type}, not a service task`);
      const stepZone = readStepZone(job.automation.configs.timezone);
      if (typeof stepZone === 'string') return bad(stepZone);
      const issue = await job.issue();
      const zone = runZone(stepZone, issue.timeZone);
      const items = itemsForScript(issue.app.dataItems, issue.data);
      const title = typeof issue.data.title === 'string' ? issue.data.title : null;
      const read = readAddonConfigs(addon, job.automation.configs, items, {
        issueId: issue.id,
        title,
        startedAt: issue.startedAt,
        ...(issue.starter ? { starter: issue.starter } : {}),
        appId: issue.appId,
        appName: issue.app.name ?? null,
        items: issue.app.dataItems,
        data: issue.data,
        zone: zone.zone,
      });
      if (!read.ok) return bad(read.error);
      const configs = { ...read.configs };
      for (const [config, name] of Object.entries(read.auth)) {
        const setting: ScriptAuthSetting | undefined = host.authorization
          ? await host.authorization({ workspaceId: job.workspaceId, appId: issue.appId, name })
          : undefined;
        if (!setting) return bad(`config "${config}": no authorization setting "${name}" for this App`);
        configs[config] = { value: name, auth: setting };
      }
      const base = {
        workspaceId: job.workspaceId,
        appId: issue.appId,
        issueId: job.issueId,
        debug: issue.mode === 'test',
        script: addon.script,
        scriptName: `addon/${m[1]}.js`,
        configs,
        timeZone: zone.zone,
        title,
        fetch: host.fetchFor(job),
        ...(host.fileStore ? { files: host.fileStore } : {}),
        ...(host.authorization ? { authorization: host.authorization } : {}),
        ...(host.mailer ? { mailer: host.mailer } : {}),
        signal,
      };
      let data = issue.data;
      let written: Record<string, unknown> = {};
      let temporaryData: string | null = null;
      // files stored by earlier rounds: removed again if a later round fails
      const stored: string[] = [];
      const failed = async (result: ConnectorResult): Promise<ConnectorResult> => {
        await deleteFiles(host.fileStore, job.workspaceId, stored);
        return result;
      };
      for (let round = 0; ; round++) {
        const entry = addon.addonVersion === undefined ? undefined : round === 0 ? 'main()' : 'proceed()';
        const outcome = await runScript({
          ...base,
          idempotencyKey: `${job.idempotencyKey}:${round}`,
          items: itemsForScript(issue.app.dataItems, data),
          temporaryData,
          ...(entry === undefined ? {} : { entry }),
        });
        if (!outcome.ok)
          return failed({
            ok: false,
            error: { code: outcome.code, message: outcome.message },
            retryable: false,
          });
        const converted = writesToData(outcome.writes, issue.app.dataItems, zone.zone, {
          known: issueFiles(data, issue.app.dataItems),
          staged: outcome.files.length,
        });
        if (!converted.ok)
          return failed({
            ok: false,
            error: { code: 'SCRIPT_BAD_VALUE', message: converted.error },
            retryable: false,
          });
        const files = await storeStagedFiles(converted.data, outcome.files, host.fileStore, job.workspaceId);
        if (!files.ok)
          return failed({ ok: false, error: { code: files.code, message: files.message }, retryable: false });
        stored.push(...files.stored);
        written = { ...written, ...files.data };
        data = { ...data, ...files.data };
        temporaryData = outcome.temporaryData;
        if (outcome.returned !== false || entry === undefined) break;
        if (round + 1 >= attempts)
          return failed({
            ok: false,
            error: {
              code: 'ADDON_STILL_RUNNING',
              message: `proceed() still answers false after ${attempts} calls`,
            },
            retryable: false,
          });
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, every);
          const stop = () => {
            clearTimeout(t);
            resolve();
          };
          signal.addEventListener('abort', stop, { once: true });
        });
        if (signal.aborted)
          return failed({
            ok: false,
            error: { code: 'ABORTED', message: 'the run was stopped' },
            retryable: true,
          });
      }
      return { ok: true, data: written as typeof issue.data };
    },
  };
}
