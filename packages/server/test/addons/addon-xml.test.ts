import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../../../scripts/shared-dir.js';
import { AddonCodes, parseAddonXml } from '../../src/addons/addon-xml.js';
import { addonFiles } from '../../src/script/harness/run-corpus.js';

const dir = join(sharedDir(), 'addon-corpus', 'questetra-addon-xml');

const MINIMAL = `<?xml version="1.0" encoding="UTF-8"?>
<service-task-definition>
  <label>Echo</label>
  <label locale="ja">エコー</label>
  <addon-version>2</addon-version>
  <configs>
    <config name="conf_Text" required="true" el-enabled="true" form-type="TEXTAREA"><label>Text</label></config>
    <config name="conf_Out" form-type="SELECT" select-data-type="STRING_TEXTFIELD|STRING_TEXTAREA"><label>Out</label></config>
    <config name="conf_Lang" form-type="SELECT_ITEM"><label>Lang</label>
      <item value="en"><label>English</label></item><item value="ja"><label>Japanese</label></item></config>
  </configs>
  <script><![CDATA[function main() { engine.setData(configs.getObject('conf_Out'), configs.get('conf_Text') + ' & <ok>'); }]]></script>
</service-task-definition>`;

describe('parseAddonXml', () => {
  it('reads every add-on of the shared corpus', () => {
    const files = addonFiles(dir);
    expect(files.length).toBe(39);
    for (const f of files) {
      const r = parseAddonXml(readFileSync(join(dir, f), 'utf8'));
      expect(r.ok, f).toBe(true);
      if (r.ok) {
        expect(r.addon.script.length, f).toBeGreaterThan(0);
        expect(r.addon.test, f).toBeDefined();
      }
    }
  });

  it('reads labels per locale, the kind, configs with their form types and items, and the CDATA script', () => {
    const r = parseAddonXml(MINIMAL);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.addon).toMatchObject({
      type: 'SERVICE_TASK',
      label: 'Echo',
      labels: { '': 'Echo', ja: 'エコー' },
      addonVersion: 2,
      script:
        "function main() { engine.setData(configs.getObject('conf_Out'), configs.get('conf_Text') + ' & <ok>'); }",
    });
    expect(r.addon.configs).toEqual([
      expect.objectContaining({ name: 'conf_Text', formType: 'TEXTAREA', required: true, elEnabled: true }),
      expect.objectContaining({
        name: 'conf_Out',
        formType: 'SELECT',
        selectDataTypes: ['STRING_TEXTFIELD', 'STRING_TEXTAREA'],
      }),
      expect.objectContaining({
        name: 'conf_Lang',
        formType: 'SELECT_ITEM',
        items: [
          { value: 'en', label: 'English' },
          { value: 'ja', label: 'Japanese' },
        ],
      }),
    ]);
  });

  it('reads start-event add-ons', () => {
    const r = parseAddonXml(readFileSync(join(dir, 'start_event/onedrive-file-uploaded.xml'), 'utf8'));
    expect(r.ok && r.addon.type).toBe('START_EVENT');
  });

  it.each([
    [
      'unclosed element',
      '<service-task-definition>\n<label>x</label>\n<script>y',
      AddonCodes.MalformedXml,
      3,
    ],
    [
      'mismatched tag',
      '<service-task-definition>\n<label>x</labl>\n</service-task-definition>',
      AddonCodes.MalformedXml,
      2,
    ],
    [
      'DOCTYPE',
      '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<service-task-definition/>',
      AddonCodes.MalformedXml,
      2,
    ],
    [
      'bad entity',
      '<service-task-definition>\n\n<label>&nope;</label></service-task-definition>',
      AddonCodes.MalformedXml,
      3,
    ],
    ['text after the root', '<service-task-definition/>\ntrailing', AddonCodes.MalformedXml, 2],
    ['other root', '<bpmn:definitions xmlns:bpmn="x"/>', AddonCodes.NotAnAddon, 1],
    [
      'no script',
      '<service-task-definition><label>x</label></service-task-definition>',
      AddonCodes.MissingElement,
      1,
    ],
    [
      'no label',
      '<service-task-definition><script>x</script></service-task-definition>',
      AddonCodes.MissingElement,
      1,
    ],
    [
      'bad addon-type',
      '<service-task-definition><label>x</label><addon-type>NOPE</addon-type><script>x</script></service-task-definition>',
      AddonCodes.BadValue,
      1,
    ],
    [
      'bad engine-type',
      '<service-task-definition><label>x</label><engine-type>x</engine-type><script>x</script></service-task-definition>',
      AddonCodes.BadValue,
      1,
    ],
    [
      'bad form-type',
      '<service-task-definition><label>x</label><configs>\n<config name="a" form-type="RADIO"/></configs><script>x</script></service-task-definition>',
      AddonCodes.BadConfig,
      2,
    ],
    [
      'config without name',
      '<service-task-definition><label>x</label><configs>\n\n<config form-type="TEXTFIELD"/></configs><script>x</script></service-task-definition>',
      AddonCodes.BadConfig,
      3,
    ],
    [
      'duplicate config',
      '<service-task-definition><label>x</label><configs><config name="a"/>\n<config name="a"/></configs><script>x</script></service-task-definition>',
      AddonCodes.BadConfig,
      2,
    ],
    [
      'SELECT_ITEM without items',
      '<service-task-definition><label>x</label><configs><config name="a" form-type="SELECT_ITEM"/></configs><script>x</script></service-task-definition>',
      AddonCodes.BadConfig,
      1,
    ],
    [
      'bad required flag',
      '<service-task-definition><label>x</label><configs><config name="a" required="yes"/></configs><script>x</script></service-task-definition>',
      AddonCodes.BadConfig,
      1,
    ],
  ])('refuses %s with a coded error and its line', (_name, xml, code, line) => {
    const r = parseAddonXml(xml);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe(code);
      expect(r.problem.line).toBe(line);
      expect(r.problem.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses an oversized document before reading it', () => {
    const r = parseAddonXml(
      `<service-task-definition><label>x</label><script>${'x'.repeat(4 * 1024 * 1024)}</script></service-task-definition>`,
    );
    expect(r.ok ? undefined : r.problem.code).toBe(AddonCodes.TooLarge);
  });
});
