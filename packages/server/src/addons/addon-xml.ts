/**
 * Reads an Add-on XML document (`<service-task-definition>`, the product's add-on format;
 * reference-questetra.md §1) into an `AddonDefinition`: labels and summaries per locale, the
 * kind (service task or one of the start events), the configs that make the step's settings
 * form, the script and the optional test block. Never throws: a problem comes back with a
 * stable code, a message naming the element, and its line.
 */
import { readXml, type XmlElement } from './xml-reader.js';

export const AddonCodes = {
  TooLarge: 'ADDON_TOO_LARGE',
  MalformedXml: 'ADDON_MALFORMED_XML',
  NotAnAddon: 'ADDON_NOT_AN_ADDON',
  MissingElement: 'ADDON_MISSING_ELEMENT',
  BadValue: 'ADDON_BAD_VALUE',
  BadConfig: 'ADDON_BAD_CONFIG',
} as const;
export type AddonCode = (typeof AddonCodes)[keyof typeof AddonCodes];

export interface AddonProblem {
  readonly code: AddonCode;
  readonly message: string;
  /** 1-based. */
  readonly line?: number;
}

/** Absent `<addon-type>` means a service task. */
export const ADDON_TYPES = [
  'SERVICE_TASK',
  'START_EVENT',
  'START_EVENT_TIMER',
  'START_EVENT_WEBHOOK',
] as const;
export type AddonType = (typeof ADDON_TYPES)[number];

export const FORM_TYPES = [
  'SELECT',
  'TEXTFIELD',
  'TEXTAREA',
  'OAUTH2',
  'SELECT_ITEM',
  'TOGGLE',
  'SELECT_LIST_SUB_DATA',
  'QUSER',
  'QGROUP',
] as const;
export type FormType = (typeof FORM_TYPES)[number];

export interface AddonConfig {
  readonly name: string;
  readonly formType: FormType;
  readonly required: boolean;
  readonly label: string;
  /** Labels by locale (`''` = default). */
  readonly labels: Readonly<Record<string, string>>;
  /** For SELECT: the data item types allowed (`STRING_TEXTFIELD|SELECT_SINGLE` split). */
  readonly selectDataTypes?: readonly string[];
  readonly elEnabled: boolean;
  /** SELECT: a data item, or a typed fixed value. */
  readonly editable: boolean;
  readonly dependsOn?: string;
  readonly authType?: string;
  readonly oauth2SettingName?: string;
  readonly deprecated: boolean;
  /** SELECT_ITEM choices. */
  readonly items?: readonly { readonly value: string; readonly label: string }[];
  /** The tab it is on, when the form has tabs. */
  readonly tab?: string;
}

export interface AddonDefinition {
  readonly type: AddonType;
  readonly label: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly summary?: string;
  readonly summaries: Readonly<Record<string, string>>;
  readonly helpPageUrl?: string;
  readonly lastModified?: string;
  readonly license?: string;
  readonly engineType?: number;
  /** 2: the script only declares `main()` (and `proceed()`); absent: the script runs top to bottom. */
  readonly addonVersion?: number;
  readonly deprecated: boolean;
  readonly configs: readonly AddonConfig[];
  readonly script: string;
  readonly test?: string;
  readonly icon?: string;
}

export type AddonParse =
  | { readonly ok: true; readonly addon: AddonDefinition }
  | { readonly ok: false; readonly problem: AddonProblem };

export const MAX_ADDON_BYTES = 4 * 1024 * 1024;

export function parseAddonXml(xml: string): AddonParse {
  if (Buffer.byteLength(xml, 'utf8') > MAX_ADDON_BYTES)
    return fail(AddonCodes.TooLarge, `the add-on XML is above the limit of ${MAX_ADDON_BYTES} bytes`);
  const read = readXml(xml);
  if (!read.ok) return fail(AddonCodes.MalformedXml, `malformed XML: ${read.message}`, read.line);
  const root = read.root;
  if (root.name !== 'service-task-definition')
    return fail(
      AddonCodes.NotAnAddon,
      `the root element must be <service-task-definition>, got <${root.name}>`,
      root.line,
    );
  const labels = localized(root, 'label');
  if (labels[''] === undefined && Object.keys(labels).length === 0)
    return fail(AddonCodes.MissingElement, '<service-task-definition> needs a <label>', root.line);
  const scriptEl = child(root, 'script');
  if (!scriptEl)
    return fail(AddonCodes.MissingElement, '<service-task-definition> needs a <script>', root.line);
  const typeEl = child(root, 'addon-type');
  const type = (typeEl ? typeEl.text.trim() : 'SERVICE_TASK') as AddonType;
  if (!ADDON_TYPES.includes(type))
    return fail(
      AddonCodes.BadValue,
      `<addon-type> must be one of ${ADDON_TYPES.slice(1).join(', ')}, got "${typeEl?.text.trim()}"`,
      typeEl?.line,
    );
  const engineType = intOf(child(root, 'engine-type'));
  if (engineType === null)
    return fail(AddonCodes.BadValue, '<engine-type> must be an integer', child(root, 'engine-type')?.line);
  const addonVersion = intOf(child(root, 'addon-version'));
  if (addonVersion === null)
    return fail(
      AddonCodes.BadValue,
      '<addon-version> must be an integer',
      child(root, 'addon-version')?.line,
    );

  const configs: AddonConfig[] = [];
  const seen = new Set<string>();
  const readConfigs = (holder: XmlElement, tab: string | undefined): AddonProblem | undefined => {
    for (const configsEl of holder.children.filter((c) => c.name === 'configs')) {
      for (const el of configsEl.children) {
        if (el.name !== 'config')
          return {
            code: AddonCodes.BadConfig,
            message: `<configs> may hold only <config>, got <${el.name}>`,
            line: el.line,
          };
        const read = readConfig(el, tab);
        if ('code' in read) return read;
        if (seen.has(read.name))
          return {
            code: AddonCodes.BadConfig,
            message: `config "${read.name}" is declared twice`,
            line: el.line,
          };
        seen.add(read.name);
        configs.push(read);
      }
    }
    return undefined;
  };
  const problem = readConfigs(root, undefined);
  if (problem) return { ok: false, problem };
  for (const tabs of root.children.filter((c) => c.name === 'tabs')) {
    for (const tab of tabs.children.filter((c) => c.name === 'tab')) {
      const tabLabel = localized(tab, 'label')[''] ?? tab.attributes.name ?? '';
      const p = readConfigs(tab, tabLabel);
      if (p) return { ok: false, problem: p };
    }
  }
  for (const c of configs) {
    if (c.dependsOn !== undefined && !seen.has(c.dependsOn)) {
      return fail(
        AddonCodes.BadConfig,
        `config "${c.name}" depends on "${c.dependsOn}", which is not declared`,
      );
    }
  }
  const summaries = localized(root, 'summary');
  const helpPages = localized(root, 'help-page-url');
  const addon: AddonDefinition = {
    type,
    label: labels[''] ?? Object.values(labels)[0]!,
    labels,
    ...(summaries[''] !== undefined ? { summary: summaries[''] } : {}),
    summaries,
    ...(helpPages[''] !== undefined ? { helpPageUrl: helpPages[''] } : {}),
    ...optionalText(root, 'last-modified', 'lastModified'),
    ...optionalText(root, 'license', 'license'),
    ...(engineType !== undefined ? { engineType } : {}),
    ...(addonVersion !== undefined ? { addonVersion } : {}),
    deprecated: child(root, 'deprecated')?.text.trim() === 'true',
    configs,
    script: scriptEl.text,
    ...(child(root, 'test') ? { test: child(root, 'test')!.text } : {}),
    ...(child(root, 'icon') ? { icon: child(root, 'icon')!.text.replace(/\s+/g, '') } : {}),
  };
  return { ok: true, addon };
}

function readConfig(el: XmlElement, tab: string | undefined): AddonConfig | AddonProblem {
  const a = el.attributes;
  const name = a.name?.trim() ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return {
      code: AddonCodes.BadConfig,
      message: `<config> needs a name of letters, digits and _, got "${name}"`,
      line: el.line,
    };
  const formType = (a['form-type'] ?? 'TEXTFIELD') as FormType;
  if (!FORM_TYPES.includes(formType))
    return {
      code: AddonCodes.BadConfig,
      message: `config "${name}": form-type must be one of ${FORM_TYPES.join(', ')}, got "${formType}"`,
      line: el.line,
    };
  for (const flag of ['required', 'el-enabled', 'editable', 'deprecated']) {
    const v = a[flag];
    if (v !== undefined && v !== 'true' && v !== 'false')
      return {
        code: AddonCodes.BadConfig,
        message: `config "${name}": ${flag} must be true or false, got "${v}"`,
        line: el.line,
      };
  }
  const labels = localized(el, 'label');
  const items: { value: string; label: string }[] = [];
  for (const item of el.children.filter((c) => c.name === 'item')) {
    if (item.attributes.value === undefined)
      return {
        code: AddonCodes.BadConfig,
        message: `config "${name}": <item> needs a value`,
        line: item.line,
      };
    const itemLabels = localized(item, 'label');
    items.push({ value: item.attributes.value, label: itemLabels[''] ?? item.attributes.value });
  }
  if (formType === 'SELECT_ITEM' && items.length === 0)
    return {
      code: AddonCodes.BadConfig,
      message: `config "${name}": SELECT_ITEM needs <item> choices`,
      line: el.line,
    };
  const selectDataType = a['select-data-type'];
  return {
    name,
    formType,
    required: a.required === 'true',
    label: labels[''] ?? Object.values(labels)[0] ?? name,
    labels,
    ...(selectDataType ? { selectDataTypes: selectDataType.split('|').map((s) => s.trim()) } : {}),
    elEnabled: a['el-enabled'] === 'true',
    editable: a.editable === 'true',
    ...(a['depends-on'] ? { dependsOn: a['depends-on'] } : {}),
    ...(a['auth-type'] ? { authType: a['auth-type'] } : {}),
    ...(a['oauth2-setting-name'] ? { oauth2SettingName: a['oauth2-setting-name'] } : {}),
    deprecated: a.deprecated === 'true',
    ...(items.length > 0 ? { items } : {}),
    ...(tab !== undefined ? { tab } : {}),
  };
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name && c.attributes.locale === undefined);
}

function localized(el: XmlElement, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of el.children) if (c.name === name) out[c.attributes.locale ?? ''] = c.text.trim();
  return out;
}

function optionalText(el: XmlElement, name: string, key: string): Record<string, string> {
  const c = child(el, name);
  return c ? { [key]: c.text.trim() } : {};
}

/** undefined when absent, null when not an integer. */
function intOf(el: XmlElement | undefined): number | undefined | null {
  if (!el) return undefined;
  const t = el.text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

function fail(code: AddonCode, message: string, line?: number): AddonParse {
  return { ok: false, problem: line === undefined ? { code, message } : { code, message, line } };
}
