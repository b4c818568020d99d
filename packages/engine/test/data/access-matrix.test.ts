import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccessMatrix,
  type AccessMode,
  type AccessStep,
  applyWrite,
  type DataItemDef,
  exportAccessCsv,
  type ItemAccess,
  importAccessCsv,
  parseBpmn,
  parseCsv,
  readAccessMatrix,
  readDataItems,
  type StepAccess,
  validateForm,
  visibleData,
} from '../../src/index.js';

const APP = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="defs" targetNamespace="urn:test">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:extensionElements>
      <nagare:dataItems>
        <nagare:dataItem number="1" fieldName="q_title" name="Title" type="string" maxLength="50" required="true" />
        <nagare:dataItem number="2" fieldName="q_amount" name="Amount" type="numeric" decimalPlaces="0" min="0" />
        <nagare:dataItem number="3" fieldName="q_tax" name="Tax" type="numeric" expression="q_amount * 0.1" decimalPlaces="0" />
        <nagare:dataItem number="4" fieldName="q_note" name="Note" type="text" />
        <nagare:dataItem number="5" fieldName="q_month" name="Month" type="date" format="ym" />
        <nagare:dataItem number="6" fieldName="q_kind" name="Kind" type="select" formType="radio">
          <nagare:description>What kind</nagare:description>
          <nagare:choice value="a" label="A" /><nagare:choice value="b" label="B" />
        </nagare:dataItem>
        <nagare:dataItem number="7" fieldName="q_guide" name="Read me" type="guide" />
        <nagare:dataItem number="8" fieldName="q_lines" name="Lines" type="table" minRows="1">
          <nagare:column fieldName="cost" name="Cost" type="decimal" total="true" />
        </nagare:dataItem>
      </nagare:dataItems>
    </bpmn:extensionElements>
    <bpmn:startEvent id="Start">
      <bpmn:extensionElements><nagare:dataAccess>
        <nagare:access item="q_title" mode="write" />
        <nagare:access item="q_amount" mode="write" required="true" />
      </nagare:dataAccess></bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:userTask id="Task_apply" name="Apply">
      <bpmn:extensionElements><nagare:dataAccess>
        <nagare:access item="q_title" mode="write" />
        <nagare:access item="q_amount" mode="write" required="true" />
        <nagare:access item="q_tax" mode="read" />
        <nagare:access item="q_month" mode="write" />
        <nagare:access item="q_kind" mode="write" />
        <nagare:access item="q_guide" mode="read" />
        <nagare:access item="q_lines" mode="write" />
      </nagare:dataAccess></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:subProcess id="Sub">
      <bpmn:userTask id="Task_approve" name="Approve">
        <bpmn:extensionElements><nagare:dataAccess>
          <nagare:access item="q_title" mode="read" />
          <nagare:access item="q_amount" mode="read" />
          <nagare:access item="q_note" mode="write" required="true" />
          <nagare:access item="q_tax" mode="write" />
          <nagare:access item="q_nope" mode="write" />
          <nagare:access item="q_kind" mode="read" required="true" />
        </nagare:dataAccess></bpmn:extensionElements>
      </bpmn:userTask>
    </bpmn:subProcess>
    <bpmn:userTask id="Task_plain" />
  </bpmn:process>
</bpmn:definitions>`;

async function app() {
  const { definitions } = await parseBpmn(APP);
  const { items, problems } = readDataItems(definitions);
  const { matrix, problems: accessProblems } = readAccessMatrix(definitions, items);
  return { items, problems, matrix, accessProblems };
}

describe('reading items and the matrix from BPMN', () => {
  it('reads every item with its settings', async () => {
    const { items, problems } = await app();
    expect(problems).toEqual([]);
    expect(items.map((i) => `${i.fieldName}:${i.type}`)).toEqual([
      'q_title:string',
      'q_amount:numeric',
      'q_tax:numeric',
      'q_note:string',
      'q_month:date',
      'q_kind:select',
      'q_guide:guide',
      'q_lines:table',
    ]);
    expect(items[0]).toEqual({
      fieldName: 'q_title',
      number: 1,
      label: 'Title',
      required: true,
      type: 'string',
      format: 'single',
      maxLength: 50,
    });
    expect(items[3]).toMatchObject({ format: 'multiline' });
    expect(items[4]).toMatchObject({ subtype: 'ym' });
    expect(items[5]).toMatchObject({
      formType: 'radio',
      source: 'fixed',
      description: 'What kind',
      choices: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
    });
    expect(items[7]).toMatchObject({
      minRows: 1,
      columns: [{ fieldName: 'cost', label: 'Cost', type: 'numeric', total: true }],
    });
  });

  it('builds the matrix: user tasks (also in sub-processes) and start forms; unlisted = hidden', async () => {
    const { matrix, accessProblems } = await app();
    expect(matrix.steps).toEqual([
      { id: 'Start' },
      { id: 'Task_apply', name: 'Apply' },
      { id: 'Task_approve', name: 'Approve' },
      { id: 'Task_plain' },
    ]);
    expect(matrix.access.Task_apply!.q_title).toEqual({ mode: 'edit', required: true }); // item required
    expect(matrix.access.Task_apply!.q_amount).toEqual({ mode: 'edit', required: true });
    expect(matrix.access.Task_apply!.q_note).toEqual({ mode: 'hidden', required: false });
    expect(matrix.access.Task_approve!.q_tax).toEqual({ mode: 'read', required: false }); // computed
    expect(matrix.access.Task_approve!.q_kind).toEqual({ mode: 'read', required: false });
    expect(Object.values(matrix.access.Task_plain!).every((a) => a.mode === 'hidden')).toBe(true);
    expect(accessProblems.map((p) => p.message)).toEqual([
      'Task_approve: q_tax (Tax) is computed; it can only be read',
      'Task_approve: no data item "q_nope"',
      'Task_approve: q_kind (Kind) is required but not editable',
    ]);
  });
});

describe('visibleData', () => {
  it('removes hidden items, undeclared fields and guide panels', async () => {
    const { items, matrix } = await app();
    const values = { q_title: 'T', q_amount: 5, q_note: 'secret', q_guide: 'x', q_other: 1 };
    expect(visibleData(items, values, matrix.access.Task_apply!)).toEqual({ q_title: 'T', q_amount: 5 });
    expect(visibleData(items, values, matrix.access.Task_approve!)).toEqual({
      q_title: 'T',
      q_amount: 5,
      q_note: 'secret',
    });
    expect(visibleData(items, values, {})).toEqual({});
  });
});

describe('applyWrite', () => {
  const current = Object.freeze({ q_title: 'Old', q_amount: 100, q_tax: 10, q_note: 'n' });

  it('merges, normalizes, recomputes, and lists what changed', async () => {
    const { items, matrix } = await app();
    const r = applyWrite(
      items,
      current,
      { q_amount: 255, q_month: '2026-04', q_kind: 'a', q_lines: [{ cost: 1.5 }, { cost: 2 }] },
      matrix.access.Task_apply!,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.values).toMatchObject({
      q_title: 'Old',
      q_amount: 255,
      q_tax: 26,
      q_month: '2026-04-01',
      q_kind: ['a'],
    });
    expect(r.totals).toEqual({ q_lines: { cost: 3.5 } });
    expect(r.changed).toEqual(['q_amount', 'q_tax', 'q_month', 'q_kind', 'q_lines']);
  });

  it('refuses hidden, read-only, computed, unknown and guide writes, naming each, and changes nothing', async () => {
    const { items, matrix } = await app();
    const r = applyWrite(
      items,
      current,
      { q_note: 'x', q_tax: 99, q_zzz: 1, q_guide: 'g', q_title: 'New' },
      matrix.access.Task_apply!,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.fieldName, e.code])).toEqual([
      ['q_guide', 'NO_VALUE'],
      ['q_note', 'HIDDEN'],
      ['q_tax', 'COMPUTED'],
      ['q_zzz', 'UNKNOWN_ITEM'],
    ]);
    expect(r.errors[1]!.message).toBe('q_note (Note): is not shown in this step and cannot be written');
    const ro = applyWrite(items, current, { q_title: 'New' }, matrix.access.Task_approve!);
    expect(ro.ok ? [] : ro.errors.map((e) => e.message)).toEqual([
      'q_title (Title): is read-only in this step',
    ]);
  });

  it('accepts read-only and computed values sent back unchanged', async () => {
    const { items, matrix } = await app();
    const r = applyWrite(
      items,
      current,
      { q_title: 'Old', q_tax: 10, q_amount: 100 },
      matrix.access.Task_approve!,
    );
    expect(r).toMatchObject({ ok: true, changed: [] });
  });

  it('validates written values and, on finish, the step’s required items', async () => {
    const { items, matrix } = await app();
    const bad = applyWrite(items, {}, { q_amount: -1.5, q_month: '2026-04-02' }, matrix.access.Task_apply!);
    expect(bad.ok ? [] : bad.errors.map((e) => e.code)).toEqual([
      'TOO_MANY_DECIMALS',
      'BELOW_MIN',
      'DATE_SUBTYPE',
    ]);
    const save = applyWrite(items, {}, { q_title: 'x' }, matrix.access.Task_apply!);
    expect(save.ok).toBe(true);
    const finish = applyWrite(items, {}, { q_title: 'x' }, matrix.access.Task_apply!, { finish: true });
    expect(finish.ok ? [] : finish.errors.map((e) => e.message)).toEqual(['q_amount (Amount): is required']);
    const approve = applyWrite(items, current, {}, matrix.access.Task_approve!, { finish: true });
    expect(approve.ok).toBe(true); // q_note is set
  });

  it('checks dependent selects (child ids forward-match the parent)', () => {
    const defs: DataItemDef[] = [
      {
        fieldName: 'q_pref',
        number: 1,
        label: 'Prefecture',
        type: 'select',
        formType: 'dropdown',
        source: 'http',
        choicesUrl: 'u',
      },
      {
        fieldName: 'q_city',
        number: 2,
        label: 'City',
        type: 'select',
        formType: 'search',
        source: 'http',
        choicesUrl: 'u',
        parentItem: 'q_pref',
      },
    ];
    const edit: StepAccess = {
      q_pref: { mode: 'edit', required: false },
      q_city: { mode: 'edit', required: false },
    };
    expect(applyWrite(defs, {}, { q_pref: '13', q_city: '13101' }, edit).ok).toBe(true);
    const r = applyWrite(defs, {}, { q_pref: '13', q_city: '01101' }, edit);
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.message])).toEqual([
      [
        'NOT_UNDER_PARENT',
        'q_city (City): the choice "01101" does not belong to the choice of q_pref (Prefecture) (13)',
      ],
    ]);
    // changing the parent re-checks the child already stored
    const r2 = applyWrite(defs, { q_pref: ['13'], q_city: ['13101'] }, { q_pref: '01' }, edit);
    expect(r2.ok).toBe(false);
    expect(validateForm(defs, { q_pref: '01', q_city: '13101' }, edit).map((e) => e.code)).toEqual([
      'NOT_UNDER_PARENT',
    ]);
  });

  it('never throws and never changes its inputs', async () => {
    const { items, matrix } = await app();
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...items.map((i) => i.fieldName), 'q_x'), fc.anything()),
        fc.constantFrom(...matrix.steps.map((s) => s.id)),
        fc.boolean(),
        (incoming, step, finish) => {
          const before = JSON.stringify(current);
          const r = applyWrite(items, current, incoming, matrix.access[step]!, { finish });
          expect(JSON.stringify(current)).toBe(before);
          if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('validateForm', () => {
  it('checks editable items and required ones; ignores read-only and hidden', async () => {
    const { items, matrix } = await app();
    const errors = validateForm(
      items,
      { q_title: 'x'.repeat(51), q_note: 123, q_kind: 'zz' },
      matrix.access.Task_apply!,
    );
    expect(errors.map((e) => [e.fieldName, e.code])).toEqual([
      ['q_title', 'TOO_LONG'],
      ['q_amount', 'REQUIRED'],
      ['q_kind', 'UNKNOWN_CHOICE'],
    ]);
    expect(validateForm(items, {}, matrix.access.Task_apply!, { finish: false })).toEqual([]);
  });
});

describe('access matrix CSV', () => {
  it('exports a readable CSV', async () => {
    const { items, matrix } = await app();
    const csv = exportAccessCsv(matrix, items);
    expect(csv.split('\r\n').slice(0, 5)).toEqual([
      'item,label,Start,Task_apply,Task_approve,Task_plain',
      '#name,,,Apply,Approve,',
      'q_title,Title,edit*,edit*,read,hidden', // the item is required wherever editable
      'q_amount,Amount,edit*,edit*,read,hidden',
      'q_tax,Tax,hidden,read,read,hidden',
    ]);
  });

  const CSV_ITEMS: DataItemDef[] = [
    { fieldName: 'q_a', number: 1, label: 'A, "quoted"', type: 'string', format: 'single' },
    { fieldName: 'q_b', number: 2, label: 'B\nsecond line', type: 'numeric' },
    { fieldName: 'q_c', number: 3, label: 'C', type: 'numeric', expression: 'q_b * 2' },
    { fieldName: 'q_g', number: 4, label: 'G', type: 'guide' },
  ];
  const STEPS: AccessStep[] = [
    { id: 'T1', name: 'First, "one"' },
    { id: 'T2' },
    { id: 'T3', name: '二番目\n次' },
  ];
  const cell = (item: DataItemDef): fc.Arbitrary<ItemAccess> =>
    item.type === 'guide' || (item.type === 'numeric' && item.expression)
      ? fc.constantFrom<AccessMode>('read', 'hidden').map((mode) => ({ mode, required: false }))
      : fc.oneof(
          fc.constantFrom<AccessMode>('read', 'hidden').map((mode) => ({ mode, required: false })),
          fc.boolean().map((required) => ({ mode: 'edit' as const, required })),
        );
  const matrixArb: fc.Arbitrary<AccessMatrix> = fc
    .tuple(...STEPS.map(() => fc.tuple(...CSV_ITEMS.map(cell))))
    .map((columns) => ({
      steps: STEPS,
      items: CSV_ITEMS.map((i) => i.fieldName),
      access: Object.fromEntries(
        STEPS.map((s, k) => [
          s.id,
          Object.fromEntries(CSV_ITEMS.map((i, j) => [i.fieldName, columns[k]![j]!])),
        ]),
      ),
    }));

  it('export → import round-trips exactly (also with BOM and LF)', () => {
    fc.assert(
      fc.property(matrixArb, fc.boolean(), fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'), (m, bom, eol) => {
        const csv = exportAccessCsv(m, CSV_ITEMS, { bom, eol });
        const back = importAccessCsv(csv, CSV_ITEMS, STEPS);
        expect(back).toEqual({ ok: true, matrix: m });
      }),
    );
  });

  it('reads columns and rows in any order', () => {
    const csv = [
      'item,label,T3,T1,T2',
      'q_c,,read,hidden,read',
      'q_a,,edit*,edit,hidden',
      'q_g,,hidden,read,hidden',
      'q_b,,read,read,edit',
    ].join('\n');
    const r = importAccessCsv(csv, CSV_ITEMS, STEPS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.matrix.access.T3!.q_a).toEqual({ mode: 'edit', required: true });
    expect(r.matrix.access.T1!.q_a).toEqual({ mode: 'edit', required: false });
    expect(r.matrix.items).toEqual(['q_a', 'q_b', 'q_c', 'q_g']);
  });

  it('reports every problem with its line, and returns no matrix', () => {
    const csv = [
      'item,label,T1,T2,T9,T1', // 1: unknown step T9, T1 twice, T3 missing
      'q_a,"A, with comma",edit,read,read,read', // 2
      'q_a,A,edit,read,read,read', // 3: duplicate row
      'q_x,X,edit,read,read,read', // 4: unknown item
      'q_b,B,edit,write,read', // 5: wrong cell count
      'q_c,C,edit,read,read,read', // 6: computed made editable
      '"q_g","G\nspans lines",readonly,read,read,read', // 7-8: bad cell
    ].join('\r\n');
    const r = importAccessCsv(csv, CSV_ITEMS, STEPS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 1, message: 'column 5: no human step "T9"' },
      { line: 1, message: 'column 6: the step "T1" appears twice' },
      { line: 1, message: 'no column for the step "T3"' },
      { line: 3, message: 'the item "q_a" appears twice' },
      { line: 4, message: 'no data item "q_x"' },
      { line: 5, message: '5 cells; the header has 6' },
      { line: 6, message: 'q_c, T1: a computed item cannot be editable' },
      { line: 7, message: 'q_g, T1: "readonly" is not edit, edit*, read or hidden' },
      { line: 7, message: 'no row for the item "q_b"' },
    ]);
  });

  it('reports broken quoting, a bad header and an empty file', () => {
    expect(importAccessCsv('item,label,T1\nq_a,"open,edit\n', CSV_ITEMS, STEPS)).toEqual({
      ok: false,
      errors: [{ line: 2, message: 'a quoted field is not closed' }],
    });
    expect(importAccessCsv('item,label,T1\nq_a,"A"x,edit\n', CSV_ITEMS, STEPS)).toEqual({
      ok: false,
      errors: [{ line: 2, message: 'unexpected "x" after a closing quote' }],
    });
    expect(importAccessCsv('field,T1\n', CSV_ITEMS, STEPS)).toMatchObject({
      ok: false,
      errors: [{ line: 1, message: 'the header row starts with "item,label"' }],
    });
    expect(importAccessCsv('\uFEFF', CSV_ITEMS, STEPS)).toMatchObject({ ok: false, errors: [{ line: 1 }] });
  });
});

describe('parseCsv', () => {
  it('handles quotes, embedded commas and newlines, CR, CRLF, BOM, blank lines', () => {
    const r = parseCsv('\uFEFFa,"b,1","c ""q"""\r\n\r\n"multi\nline",x\rlast,\n');
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b,1', 'c "q"'] },
        { line: 3, fields: ['multi\nline', 'x'] },
        { line: 5, fields: ['last', ''] },
      ],
    });
  });
});
