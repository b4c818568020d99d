import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvConfig } from '../../../src/connectors/csv/config.js';
import { csvConnector } from '../../../src/connectors/csv/connector.js';
import { parseCsv, writeCsv } from '../../../src/connectors/csv/csv-format.js';
import { storeIssueSource } from '../../../src/connectors/csv/issue-list.js';
import type { FileRef } from '../../../src/files/file-store.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { describeEachDialect } from '../../support/dialects.js';
import { runStep, stepApp } from '../http/step-app.js';

describe('CSV format', () => {
  it('quotes what needs quoting, escapes formulas, reads quoted fields across lines', () => {
    const csv = writeCsv(
      [
        ['name', 'note', 'n'],
        ['山田, 太郎', 'say "hi"\nbye', 3],
        ['=SUM(A1)', null, -2],
      ],
      { bom: true },
    );
    expect(csv).toBe('\uFEFFname,note,n\r\n"山田, 太郎","say ""hi""\nbye",3\r\n\'=SUM(A1),,-2\r\n');
    expect(parseCsv(csv)).toEqual({
      ok: true,
      rows: [
        ['name', 'note', 'n'],
        ['山田, 太郎', 'say "hi"\nbye', '3'],
        ["'=SUM(A1)", '', '-2'],
      ],
    });
    expect(parseCsv('a,"b\nc')).toMatchObject({ ok: false, error: expect.stringMatching(/not closed/) });
    expect(parseCsv('a,"b"x')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/line 1: text after a closing quote/),
    });
    expect(parseCsv('a\tb\n', '\t')).toEqual({ ok: true, rows: [['a', 'b']] });
  });

  it('refuses bad configs naming the config', () => {
    expect(readCsvConfig({ fileItem: 'f' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"mode"/),
    });
    expect(readCsvConfig({ mode: 'tableToCsv', fileItem: 'f' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"tableItem"/),
    });
    expect(readCsvConfig({ mode: 'issuesToCsv' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"fileItem"/),
    });
    expect(readCsvConfig({ mode: 'issuesToCsv', fileItem: 'f', bom: 'yes' })).toMatchObject({ ok: false });
    expect(readCsvConfig({ mode: 'issuesToCsv', fileItem: 'f', delimiter: '|' })).toMatchObject({
      ok: false,
    });
    expect(readCsvConfig({ mode: 'issuesToCsv', fileItem: 'f', limit: '0' })).toMatchObject({ ok: false });
    expect(
      readCsvConfig({ mode: 'csvToTable', tableItem: 't', fileItem: 'f', header: 'false' }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"columns" is required/),
    });
  });
});

describeEachDialect('CSV step through the runtime', ({ config }) => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nagare-csv-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('table item → CSV file with BOM → table item again; the app issues as CSV', async () => {
    let store: LocalFileStore | undefined;
    const items = { q_lines: 'table', q_csv: 'file', q_back: 'table', q_title: 'string' };
    const run = await runStep(
      config(),
      'csv',
      (t) => {
        store = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
        return csvConnector({ fileStore: store, issues: storeIssueSource(t.store.db) });
      },
      stepApp(
        'csv',
        {
          mode: 'tableToCsv',
          tableItem: 'q_lines',
          fileItem: 'q_csv',
          bom: 'true',
          fileName: '{{q_title}}.csv',
          columns: 'item,price',
        },
        items,
      ),
      {
        q_title: '明細',
        q_lines: [
          { item: 'お茶', price: 120 },
          { item: 'Pen, blue', price: 80 },
        ],
      },
    );
    try {
      expect(run.status).toBe('completed');
      const [file] = run.data.q_csv as FileRef[];
      expect(file).toMatchObject({ name: '明細.csv', contentType: 'text/csv; charset=utf-8' });
      const bytes = await store!.read('default', file!.id);
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(
        '\uFEFFitem,price\r\nお茶,120\r\n"Pen, blue",80\r\n',
      );
      // back into a table
      const back = await run.t.runtime.deploy({
        bpmn: stepApp(
          'csv',
          { mode: 'csvToTable', tableItem: 'q_back', fileItem: 'q_csv', numericColumns: 'price' },
          items,
        ),
      });
      const { issueId } = await run.t.runtime.startIssue({
        appId: back.appId,
        data: { q_csv: [file] as never },
      });
      await run.t.runtime.createWorker().runOnce();
      const issue = await run.t.runtime.getIssue(issueId);
      expect(issue.status).toBe('completed');
      expect(issue.state.data.q_back).toEqual([
        { item: 'お茶', price: 120 },
        { item: 'Pen, blue', price: 80 },
      ]);
      // the app's issues (both issues of the csvToTable app)
      const list = await run.t.runtime.deploy({
        appId: back.appId,
        bpmn: stepApp('csv', { mode: 'issuesToCsv', fileItem: 'q_csv', columns: 'id,status,q_title' }, items),
      });
      const listed = await run.t.runtime.startIssue({ versionId: list.versionId, data: { q_title: 'list' } });
      await run.t.runtime.createWorker().runOnce();
      const out = await run.t.runtime.getIssue(listed.issueId);
      const [csvFile] = out.state.data.q_csv as FileRef[];
      const lines = new TextDecoder()
        .decode(await store!.read('default', csvFile!.id))
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('id,status,q_title');
      expect(lines).toHaveLength(3);
      expect(lines.some((l) => l.startsWith(`${issueId},completed,`))).toBe(true);
      expect(lines.some((l) => l.startsWith(`${listed.issueId},`))).toBe(true);
    } finally {
      await run.t.close();
    }
  });

  it('a CSV with a bad number or a missing column fails naming the row and column', async () => {
    let store: LocalFileStore | undefined;
    let ref: Promise<FileRef[]> | undefined;
    const run = await runStep(
      config(),
      'csv',
      (t) => {
        store = new LocalFileStore({ store: t.store, root: join(dir, String(Math.random())) });
        ref = store
          .put('default', {
            name: 'in.csv',
            contentType: 'text/csv',
            bytes: new TextEncoder().encode('item,price\nA,1\nB,abc\n'),
          })
          .then((f) => [{ id: f.id, name: f.name, contentType: f.contentType, size: f.size }]);
        return csvConnector({ fileStore: store });
      },
      stepApp(
        'csv',
        { mode: 'csvToTable', tableItem: 'q_t', fileItem: 'q_f', numericColumns: 'price' },
        { q_t: 'table', q_f: 'file' },
      ),
      {},
    );
    try {
      expect(run.incidents[0]?.message).toMatch(/BAD_CONFIG: .*q_f holds no file/);
      const app = await run.t.runtime.deploy({
        bpmn: stepApp(
          'csv',
          { mode: 'csvToTable', tableItem: 'q_t', fileItem: 'q_f', numericColumns: 'price' },
          { q_t: 'table', q_f: 'file' },
        ),
      });
      const { issueId } = await run.t.runtime.startIssue({
        appId: app.appId,
        data: { q_f: (await ref!) as never },
      });
      await run.t.runtime.createWorker().runOnce();
      const incidents = await run.t.runtime.listIncidents({ issueId });
      expect(incidents[0]?.message).toMatch(/BAD_CSV: in.csv, row 2, column price: "abc" is not a number/);
      expect((await run.t.runtime.getIssue(issueId)).state.data.q_t ?? null).toBeNull();
    } finally {
      await run.t.close();
    }
  });
});
