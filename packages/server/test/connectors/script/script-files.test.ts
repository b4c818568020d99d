/**
 * Files in script steps, through the runtime with a real store and the real LocalFileStore on a
 * temp dir: a script reads an uploaded text file (content read on demand from the store), makes
 * a CSV file and stores it in a file item (stored only after the script succeeded), sends an
 * issue file as a multipart part and keeps an HTTP response as a new file (real local HTTP
 * server); a failing script, a write that does not fit, a forged file id and a full quota leave
 * no file referenced and none stored; reads above the limit are refused with a clear error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../../src/connectors/connector.js';
import { scriptConnector } from '../../../src/connectors/script/connector.js';
import type { FileRef } from '../../../src/files/file-store.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { createOutboundFetch } from '../../../src/outbound/outbound-fetch.js';
import { ManualClock } from '../../../src/runtime/clock.js';
import { createRuntime, type Runtime } from '../../../src/runtime/runtime.js';
import { runScript } from '../../../src/script/run-script.js';
import { openStore, type Store } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { describeEachDialect } from '../../support/dialects.js';
import { bpmn, flows, T0 } from '../../support/runtime.js';

const ITEMS = [
  '<nagare:dataItem number="1" fieldName="upload" type="file"/>',
  '<nagare:dataItem number="2" fieldName="text" type="string"/>',
  '<nagare:dataItem number="3" fieldName="report" type="file"/>',
  '<nagare:dataItem number="4" fieldName="amount" type="numeric"/>',
  '<nagare:dataItem number="5" fieldName="lines" type="table"><nagare:column fieldName="id" name="Id" type="string"/><nagare:column fieldName="name" name="Name" type="string"/><nagare:column fieldName="contentType" name="Type" type="string"/><nagare:column fieldName="size" name="Size" type="decimal"/></nagare:dataItem>',
].join('');

function app(script: string): string {
  return bpmn(
    `<bpmn:startEvent id="start"/>
     <bpmn:scriptTask id="work" scriptFormat="javascript">
       <bpmn:extensionElements><nagare:automation type="script"/></bpmn:extensionElements>
       <bpmn:script><![CDATA[${script}]]></bpmn:script>
     </bpmn:scriptTask>
     <bpmn:endEvent id="end"/>
     ${flows('start>work', 'work>end')}`,
    { items: ITEMS, id: 'Files' },
  );
}

const text = (s: string) => new TextEncoder().encode(s);
const UPLOAD = 'first line\nsecond line — ünïcode\n';

describeEachDialect('files in script steps', ({ config }) => {
  let store: Store;
  let runtime: Runtime;
  let root: string;
  let files: LocalFileStore;
  let upload: FileRef;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'nagare-script-files-'));
    store = await openStore(config());
    await migrateToLatest(store);
    files = new LocalFileStore({ store, root, defaultQuotaBytes: 1_000 });
    const connectors = createConnectorRegistry([
      scriptConnector({ fileStore: files, fetch: createOutboundFetch({ allow: () => ['127.0.0.1/32'] }) }),
    ]);
    runtime = createRuntime(store, { connectors, clock: new ManualClock(T0) });
    const put = await files.put('default', {
      name: 'notes.txt',
      contentType: 'text/plain; charset=UTF-8',
      bytes: text(UPLOAD),
    });
    upload = { id: put.id, name: put.name, contentType: put.contentType, size: put.size };
  });
  afterEach(async () => {
    await runtime.close();
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Deploys the script, starts an issue with the uploaded file and runs the step once. */
  async function runApp(script: string, data: Record<string, unknown> = {}) {
    const { appId } = await runtime.deploy({ bpmn: app(script) });
    const { issueId } = await runtime.startIssue({ appId, data: { upload: [upload], ...data } });
    await runtime.createWorker().runOnce();
    const issue = await runtime.getIssue(issueId);
    const incidents = await runtime.listIncidents({ issueId });
    return { issue, data: issue.state.data as Record<string, unknown>, incidents };
  }

  /** The ids of every file the store holds for the default workspace. */
  async function storedIds(): Promise<string[]> {
    const rows = await store.db
      .selectFrom('file')
      .select('id')
      .where('workspace_id', '=', 'default')
      .execute();
    return rows.map((r) => r.id).sort();
  }

  it('reads an uploaded text file: whole, line by line, as bytes, with its name, type and length', async () => {
    const r = await runApp(`
      const f = engine.findDataByVarName('upload').get(0);
      const lines = [];
      fileRepository.readFile(f, 'UTF-8', (line) => lines.push(line));
      const bytes = fileRepository.readFile(f);
      engine.setDataByVarName('text', [
        fileRepository.readFile(f, 'UTF-8'), lines.join('|'), f.getName(), f.getContentType(),
        f.getLength(), f.getCharset(), bytes.length, bytes[0] === 0x66,
      ].join('#'));`);
    expect(r.incidents).toEqual([]);
    expect(r.issue.status).toBe('completed');
    expect(r.data.text).toBe(
      [
        UPLOAD,
        'first line|second line — ünïcode',
        'notes.txt',
        'text/plain; charset=UTF-8',
        text(UPLOAD).length,
        'UTF-8',
        text(UPLOAD).length,
        'true',
      ].join('#'),
    );
  }, 60_000);

  it('makes a CSV file and stores it in a file item, keeping the files already there', async () => {
    const r = await runApp(
      `
      const rows = [['name', 'amount'], ['Tanaka', engine.findDataByVarName('amount')]];
      const csv = rows.map((row) => row.join(',')).join('\\r\\n') + '\\r\\n';
      engine.setDataByVarName('report', [engine.createQfile('report.csv', 'text/csv; charset=UTF-8', csv)]);
      const kept = engine.findDataByVarName('upload');
      kept.add(new com.questetra.bpms.core.event.scripttask.NewQfile('copy of ' + kept.get(0).getName(), 'text/plain', kept.get(0)));
      engine.setDataByVarName('upload', kept);`,
      { amount: 1980 },
    );
    expect(r.incidents).toEqual([]);
    const report = r.data.report as FileRef[];
    expect(report).toEqual([
      { id: expect.any(String), name: 'report.csv', contentType: 'text/csv; charset=UTF-8', size: 26 },
    ]);
    expect(new TextDecoder().decode(await files.read('default', report[0]!.id))).toBe(
      'name,amount\r\nTanaka,1980\r\n',
    );
    const uploads = r.data.upload as FileRef[];
    expect(uploads.map((f) => f.name)).toEqual(['notes.txt', 'copy of notes.txt']);
    expect(uploads[0]).toEqual(upload);
    expect(new TextDecoder().decode(await files.read('default', uploads[1]!.id))).toBe(UPLOAD);
    expect(await storedIds()).toEqual([upload.id, report[0]!.id, uploads[1]!.id].sort());
  }, 60_000);

  it('a failing script leaves no file referenced and none stored', async () => {
    const r = await runApp(`
      engine.setDataByVarName('report', [engine.createQfile('half.csv', 'text/csv', 'a,b\\n')]);
      engine.setDataByVarName('text', 'set before the failure');
      throw new Error('the CSV is incomplete');`);
    expect(r.issue.status).not.toBe('completed');
    expect(r.incidents.map((i) => i.message)).toEqual([expect.stringContaining('the CSV is incomplete')]);
    expect(r.data.report ?? null).toBeNull();
    expect(r.data.text ?? null).toBeNull();
    expect(await storedIds()).toEqual([upload.id]);
  }, 60_000);

  it('a write that does not fit its item stores none of the run’s files', async () => {
    const r = await runApp(`
      engine.setDataByVarName('report', [engine.createQfile('ok.csv', 'text/csv', 'a,b\\n')]);
      engine.setDataByVarName('amount', 'not a number');`);
    expect(r.incidents.map((i) => i.message)).toEqual([
      expect.stringContaining('data item amount (numeric)'),
    ]);
    expect(r.data.report ?? null).toBeNull();
    expect(await storedIds()).toEqual([upload.id]);
  }, 60_000);

  it('a file that is not one of the issue’s files cannot be put in a file item', async () => {
    const other = await files.put('default', {
      name: 'other.txt',
      contentType: 'text/plain',
      bytes: text('x'),
    });
    const r = await runApp(`
      const f = engine.createQfile('x.txt', 'text/plain', 'x');
      f.__id = ${JSON.stringify(other.id)}; f.__data = null;
      engine.setDataByVarName('report', [f]);`);
    expect(r.incidents.map((i) => i.message)).toEqual([
      expect.stringContaining('a file that is not one of this issue’s files'),
    ]);
    expect(r.data.report ?? null).toBeNull();
  }, 60_000);

  it('a table row that looks like a file reference is not a file of the issue', async () => {
    const other = await files.put('default', {
      name: 'secret.txt',
      contentType: 'text/plain',
      bytes: text('s'),
    });
    const row = { id: other.id, name: 'secret.txt', contentType: 'text/plain', size: 1 };
    const r = await runApp(
      `const f = engine.createQfile('x.txt', 'text/plain', 'x');
       f.__id = ${JSON.stringify(other.id)}; f.__data = null; f.__size = 1;
       let read = 'refused';
       try { read = fileRepository.readFile(f, 'UTF-8'); } catch (e) { read = String(e.message); }
       engine.setDataByVarName('text', read);
       engine.setDataByVarName('report', [f]);`,
      { lines: [row] },
    );
    expect(r.incidents.map((i) => i.message)).toEqual([
      expect.stringContaining('a file that is not one of this issue’s files'),
    ]);
    expect(r.data.report ?? null).toBeNull();
  }, 60_000);

  it('a new file over the Workspace quota fails the step and keeps nothing', async () => {
    const r = await runApp(`
      engine.setDataByVarName('report', [
        engine.createQfile('small.txt', 'text/plain', 'small'),
        engine.createQfile('big.txt', 'text/plain', 'x'.repeat(2000)),
      ]);`);
    expect(r.incidents.map((i) => [i.code, i.message])).toEqual([
      ['JOB_FAILED', expect.stringContaining('storing file big.txt')],
    ]);
    expect(r.data.report ?? null).toBeNull();
    expect(await storedIds()).toEqual([upload.id]);
  }, 60_000);

  it('sends an issue file as a multipart part and keeps the HTTP response as a new file', async () => {
    const seen: { contentType: string; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          contentType: String(req.headers['content-type']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200, { 'content-type': 'application/pdf' });
        res.end(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/convert`;
      const r = await runApp(`
        const f = engine.findDataByVarName('upload').get(0);
        const res = httpClient.begin().multipart('file', f).multipart('note', 'hello').post(${JSON.stringify(url)});
        engine.setDataByVarName('report', [new com.questetra.bpms.core.event.scripttask.NewQfile('converted.pdf', res.getContentType(), res.getResponse())]);`);
      expect(r.incidents).toEqual([]);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(seen[0]!.body).toContain('filename="notes.txt"');
      expect(seen[0]!.body).toContain(UPLOAD);
      expect(seen[0]!.body).toContain('name="note"\r\n\r\nhello');
      const report = r.data.report as FileRef[];
      expect(report).toEqual([
        { id: expect.any(String), name: 'converted.pdf', contentType: 'application/pdf', size: 7 },
      ]);
      expect([...(await files.read('default', report[0]!.id))]).toEqual([
        0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff,
      ]);
    } finally {
      server.close();
    }
  }, 60_000);

  it('refuses to read a file above the read limit, naming the file and the limit', async () => {
    const outcome = await runScript({
      workspaceId: 'default',
      appId: 'a',
      issueId: 'i',
      idempotencyKey: 'i:1',
      debug: false,
      script: `engine.setDataByVarName('text', fileRepository.readFile(engine.findDataByVarName('upload').get(0), 'UTF-8'));`,
      items: [
        { number: 1, varName: 'upload', name: 'upload', type: 'FILE', value: [upload] },
        { number: 2, varName: 'text', name: 'text', type: 'STRING_TEXTFIELD' },
      ],
      configs: {},
      files,
      fileLimits: { readBytes: 10 },
      fetch: () => Promise.reject(new Error('no network')),
    });
    expect(outcome).toMatchObject({ ok: false, code: 'SCRIPT_ERROR' });
    if (!outcome.ok)
      expect(outcome.message).toBe(
        `Error: file notes.txt: the file is ${upload.size} bytes: scripts may read files of at most 10 bytes`,
      );
  }, 60_000);
});
