/**
 * An add-on step's configs (`<nagare:config name>` values written by the modeler's form for the
 * add-on) turned into what the script reads, per the add-on's own config definitions:
 *
 * - `SELECT` / `SELECT_LIST_SUB_DATA`: the value names a data item (field name or number);
 *   `configs.getObject` answers its definition, `configs.get` its number. An `editable` SELECT
 *   may instead hold a fixed value (then `getObject` is null).
 * - `TOGGLE`: `true` / `false`; `getObject` answers the boolean.
 * - `OAUTH2`: the name of an authorization setting of the App, resolved to its headers.
 * - everything else (`TEXTFIELD`, `TEXTAREA`, `SELECT_ITEM`, `QUSER`, `QGROUP`): the text; with
 *   `el-enabled="true"`, its `#{…}` expressions expanded with the data (`el.ts`).
 *
 * Required configs must be set; a SELECT_ITEM value must be one of its items.
 */
import type { AddonConfig, AddonDefinition } from '../../addons/addon-xml.js';
import type { ScriptItem } from '../../script/data-bridge.js';
import type { ScriptConfig } from '../../script/run-script.js';
import { type ElContext, expandEl } from './el.js';

export type AddonConfigsResult =
  | {
      readonly ok: true;
      readonly configs: Record<string, ScriptConfig>;
      /** OAUTH2 configs: config name → authorization setting name, resolved by the caller. */
      readonly auth: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly error: string };

export function readAddonConfigs(
  addon: Pick<AddonDefinition, 'configs'>,
  values: Readonly<Record<string, string>>,
  items: readonly ScriptItem[],
  el?: ElContext,
): AddonConfigsResult {
  const configs: Record<string, ScriptConfig> = {};
  const auth: Record<string, string> = {};
  const known = new Set(addon.configs.map((c) => c.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name) && name !== 'timeout' && name !== 'timezone')
      return { ok: false, error: `config "${name}" is not a config of this add-on` };
  }
  for (const c of addon.configs) {
    let raw = values[c.name] ?? '';
    if (c.elEnabled && el && raw.includes('#{') && !NOT_TEXT.has(c.formType)) {
      const expanded = expandEl(raw, el);
      if (!expanded.ok) return { ok: false, error: `config "${c.name}": ${expanded.error}` };
      raw = expanded.text;
    }
    if (c.required && raw.trim() === '' && c.formType !== 'TOGGLE')
      return { ok: false, error: `config "${c.name}" (${c.label}) is required` };
    const read = readOne(c, raw, items);
    if (typeof read === 'string') return { ok: false, error: read };
    configs[c.name] = read;
    if (c.formType === 'OAUTH2' && raw.trim() !== '') auth[c.name] = raw.trim();
  }
  return { ok: true, configs, auth };
}

/** Configs whose value names something rather than being text: never expanded. */
const NOT_TEXT: ReadonlySet<string> = new Set([
  'SELECT',
  'SELECT_LIST_SUB_DATA',
  'SELECT_ITEM',
  'TOGGLE',
  'OAUTH2',
]);

function readOne(c: AddonConfig, raw: string, items: readonly ScriptItem[]): ScriptConfig | string {
  switch (c.formType) {
    case 'SELECT':
    case 'SELECT_LIST_SUB_DATA': {
      const ref = raw.trim();
      if (ref === '') return { value: '' };
      const item = items.find((i) => i.varName === ref || String(i.number) === ref);
      if (!item) {
        if (c.editable) return { value: raw };
        return `config "${c.name}": no data item "${ref}"`;
      }
      if (c.selectDataTypes && !c.selectDataTypes.some((t) => matches(item.type, t)))
        return `config "${c.name}": data item ${item.varName} is ${item.type}, the add-on wants ${c.selectDataTypes.join(' or ')}`;
      return { value: String(item.number), item: item.number };
    }
    case 'TOGGLE': {
      const t = raw.trim();
      if (t !== '' && t !== 'true' && t !== 'false')
        return `config "${c.name}" must be true or false, got "${raw}"`;
      return { value: t === 'true' ? 'true' : 'false', boolean: t === 'true' };
    }
    case 'SELECT_ITEM':
      if (raw !== '' && c.items && !c.items.some((i) => i.value === raw))
        return `config "${c.name}" must be one of ${c.items.map((i) => i.value).join(', ')}, got "${raw}"`;
      return { value: raw };
    default:
      return { value: raw };
  }
}

/** The product's `matchDataType`: a code matches itself and its sub types (`STRING` ⊃ `STRING_TEXTFIELD`). */
function matches(type: string, wanted: string): boolean {
  // a string item's single- or multi-line form is not in the compiled App (`formType`): either fits
  if (STRINGS.has(type) && STRINGS.has(wanted)) return true;
  return type === wanted || type.startsWith(`${wanted}_`) || wanted.startsWith(`${type}_`);
}
const STRINGS: ReadonlySet<string> = new Set(['STRING_TEXTFIELD', 'STRING_TEXTAREA']);
