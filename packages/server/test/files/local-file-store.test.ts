import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FileStoreError } from '../../src/files/file-store-error.js';
import { LocalFileStore } from '../../src/files/local-file-store.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';

/** Every regular file under `dir`, relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

async function refusal(promise: Promise<unknown>): Promise<FileStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileStoreError);
  return error as FileStoreError;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describeEachDialect('LocalFileStore', ({ config }) => {
  let store: Store;
  let root: string;
  let files: LocalFileStore;

  beforeEach(async () => {
    store = await openStore(config());
    await migrateToLatest(store);
    root = await mkdtemp(join(tmpdir(), 'nagare-files-'));
    files = new LocalFileStore({ store, root, maxFileBytes: 1_000, defaultQuotaBytes: 10_000 });
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('stores a file, reads it back with its metadata and counts it against the workspace', async () => {
    // when
    const stored = await files.put('ws-a', {
      name: '見積書.pdf',
      contentType: 'application/pdf',
      bytes: bytes('%PDF-1.7 hello'),
    });

    // then
    expect(stored).toMatchObject({
      workspaceId: 'ws-a',
      name: '見積書.pdf',
      contentType: 'application/pdf',
      size: 14,
    });
    expect(stored.sha256).toBe(createHash('sha256').update('%PDF-1.7 hello').digest('hex'));
    expect(await files.stat('ws-a', stored.id)).toEqual(stored);
    expect(new TextDecoder().decode(await files.read('ws-a', stored.id))).toBe('%PDF-1.7 hello');
    expect(await files.usage('ws-a')).toBe(14);
    expect(await filesUnder(root)).toEqual([join(stored.id.slice(0, 2), stored.id)]);
  });

  it('takes the content as a stream of chunks', async () => {
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield bytes('0123456789');
    }

    // when
    const stored = await files.put('ws-a', {
      name: 'digits.txt',
      contentType: 'text/plain; charset=utf-8',
      bytes: chunks(),
    });

    // then
    expect(stored.size).toBe(100);
    expect(new TextDecoder().decode(await files.read('ws-a', stored.id))).toBe('0123456789'.repeat(10));
    const { stream } = await files.open('ws-a', stored.id);
    let streamed = '';
    for await (const chunk of stream) streamed += String(chunk);
    expect(streamed).toBe('0123456789'.repeat(10));
  });

  it('does not resolve an id from another workspace', async () => {
    const stored = await files.put('ws-a', {
      name: 'a.txt',
      contentType: 'text/plain',
      bytes: bytes('secret'),
    });

    // when / then
    expect(await files.stat('ws-b', stored.id)).toBeUndefined();
    expect((await refusal(files.read('ws-b', stored.id))).code).toBe('UNKNOWN_FILE');
    expect((await refusal(files.open('ws-b', stored.id))).code).toBe('UNKNOWN_FILE');
    expect((await refusal(files.delete('ws-b', stored.id))).code).toBe('UNKNOWN_FILE');
    expect(await files.usage('ws-b')).toBe(0);
    expect(new TextDecoder().decode(await files.read('ws-a', stored.id))).toBe('secret');
    expect(await files.usage('ws-a')).toBe(6);
  });

  it('refuses a stream over the per-request limit while it streams, keeping nothing', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(300);
      }
    }

    // when
    const error = await refusal(
      files.put('ws-a', { name: 'big.bin', contentType: 'application/octet-stream', bytes: endless() }),
    );

    // then: stopped at the 4th chunk (1,200 bytes > 1,000), nothing on disk or in the table
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('"big.bin" is over the per-request limit of 1000 bytes');
    expect(pulled).toBe(4);
    expect(await filesUnder(root)).toEqual([]);
    expect(await store.db.selectFrom('file').selectAll().execute()).toEqual([]);
    expect(await files.usage('ws-a')).toBe(0);
  });

  it('refuses a buffer over the limit and accepts one exactly at it', async () => {
    expect(
      (await refusal(files.put('ws-a', { name: 'x', contentType: 'a/b', bytes: new Uint8Array(1_001) })))
        .code,
    ).toBe('FILE_TOO_LARGE');
    const atLimit = await files.put('ws-a', { name: 'x', contentType: 'a/b', bytes: new Uint8Array(1_000) });
    expect(atLimit.size).toBe(1_000);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it('keeps each workspace under its quota, exactly, and gives the bytes back on delete', async () => {
    await files.setQuota('ws-a', 100);
    const first = await files.put('ws-a', { name: 'one', contentType: 'a/b', bytes: new Uint8Array(80) });

    // when
    const error = await refusal(
      files.put('ws-a', { name: 'two', contentType: 'a/b', bytes: new Uint8Array(30) }),
    );

    // then
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.message).toContain('"two"');
    expect(error.message).toContain('20 bytes left');
    expect(await files.usage('ws-a')).toBe(80);
    expect(await files.quota('ws-a')).toBe(100);
    expect(await files.quota('ws-b')).toBe(10_000);
    expect(await filesUnder(root)).toHaveLength(1);

    // another workspace has its own quota
    await files.put('ws-b', { name: 'two', contentType: 'a/b', bytes: new Uint8Array(30) });

    await files.delete('ws-a', first.id);
    expect(await files.usage('ws-a')).toBe(0);
    expect(await files.stat('ws-a', first.id)).toBeUndefined();
    expect((await refusal(files.read('ws-a', first.id))).code).toBe('UNKNOWN_FILE');
    await files.put('ws-a', { name: 'two', contentType: 'a/b', bytes: new Uint8Array(30) });
    expect(await files.usage('ws-a')).toBe(30);
    await files.setQuota('ws-a', null);
    expect(await files.quota('ws-a')).toBe(10_000);
  });

  it('lets concurrent uploads past the quota only as far as it goes', async () => {
    await files.setQuota('ws-a', 100);

    // when: five uploads of 30 bytes at once, each of which fits on its own
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((n) =>
        files.put('ws-a', { name: `f${n}`, contentType: 'a/b', bytes: new Uint8Array(30) }),
      ),
    );

    // then
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(3);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as FileStoreError).code).toBe('QUOTA_EXCEEDED');
    }
    expect(await files.usage('ws-a')).toBe(90);
    expect(await filesUnder(root)).toHaveLength(3);
  });

  it('refuses bad input with the reason, keeping nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: '', contentType: 'a/b', bytes: bytes('x') }, /file name must be/],
      [{ name: '../etc/passwd', contentType: 'a/b', bytes: bytes('x') }, /without control characters, "\/"/],
      [
        { name: 'a.txt', contentType: 'text', bytes: bytes('x') },
        /content type of "a.txt" must look like type\/subtype; got "text"/,
      ],
      [
        { name: 'a.txt', contentType: 'text/plain', bytes: 'not bytes' },
        /must be bytes or an async iterable/,
      ],
    ];
    for (const [input, message] of cases) {
      const error = await refusal(files.put('ws-a', input as never));
      expect(error.code).toBe('BAD_FILE_INPUT');
      expect(error.message).toMatch(message);
    }
    async function* strings() {
      yield bytes('ok');
      yield 'not bytes' as unknown as Uint8Array;
    }
    expect((await refusal(files.put('ws-a', { name: 'a', contentType: 'a/b', bytes: strings() }))).code).toBe(
      'BAD_FILE_INPUT',
    );
    expect(await filesUnder(root)).toEqual([]);
    expect(await files.usage('ws-a')).toBe(0);
  });

  it('leaves nothing when the source stream fails half-way', async () => {
    async function* failing() {
      yield bytes('half a file');
      throw new Error('connection reset');
    }

    // when
    const error = await put(files, failing()).catch((e: unknown) => e);

    // then
    expect(String(error)).toContain('connection reset');
    expect(await filesUnder(root)).toEqual([]);
    expect(await store.db.selectFrom('file').selectAll().execute()).toEqual([]);
  });

  it('reports content removed behind its back as FILE_MISSING', async () => {
    const stored = await files.put('ws-a', { name: 'a', contentType: 'a/b', bytes: bytes('x') });
    await rm(join(root, stored.id.slice(0, 2), stored.id));
    expect((await refusal(files.read('ws-a', stored.id))).code).toBe('FILE_MISSING');
  });

  it('sweeps what a crash leaves behind (partial uploads, content without a row), and nothing else', async () => {
    const kept = await files.put('ws-a', { name: 'kept', contentType: 'a/b', bytes: bytes('kept') });
    await writeFile(join(root, 'tmp', 'crashed.part'), 'half');
    const orphanId = '00000000-0000-4000-8000-000000000000';
    await rm(join(root, '00'), { recursive: true, force: true });
    await mkdir(join(root, '00'), { recursive: true });
    await writeFile(join(root, '00', orphanId), 'renamed, never committed');
    const fresh = join(root, 'tmp', 'in-flight.part');
    await writeFile(fresh, 'still uploading');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const path of [
      join(root, 'tmp', 'crashed.part'),
      join(root, '00', orphanId),
      join(root, kept.id.slice(0, 2), kept.id),
    ]) {
      await utimes(path, old, old);
    }

    // when
    const removed = await files.sweep();

    // then
    expect(removed).toBe(2);
    expect((await filesUnder(root)).sort()).toEqual(
      [join(kept.id.slice(0, 2), kept.id), join('tmp', 'in-flight.part')].sort(),
    );
    expect(new TextDecoder().decode(await files.read('ws-a', kept.id))).toBe('kept');
  });
});

function put(files: LocalFileStore, source: AsyncIterable<Uint8Array>) {
  return files.put('ws-a', { name: 'f', contentType: 'a/b', bytes: source });
}

it('refuses a negative limit when configured', () => {
  expect(() => new LocalFileStore({ store: {} as Store, root: '/tmp/x', maxFileBytes: -1 })).toThrow(
    /maxFileBytes must be a non-negative integer/,
  );
});
