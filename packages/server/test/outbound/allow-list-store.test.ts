import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOutboundFetch, OutboundAllowList, parseAllowList } from '../../src/outbound/index.js';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { describeEachDialect } from '../support/dialects.js';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describeEachDialect('outbound allow-list', ({ config }) => {
  it('an administrator opens a range for one workspace only; bad entries are refused', async () => {
    const store = await openStore(config());
    try {
      await migrateToLatest(store);
      const list = new OutboundAllowList(store.db);
      const f = createOutboundFetch({ allow: list.allow });
      await expect(f(base, {}, { workspaceId: 'A' })).rejects.toMatchObject({ code: 'REFUSED_ADDRESS' });
      await list.add('A', '127.0.0.0/8');
      await list.add('A', '127.0.0.0/8'); // twice is once
      expect(await list.list('A')).toEqual(['127.0.0.0/8']);
      expect(await (await f(base, {}, { workspaceId: 'A' })).text()).toBe('ok');
      await expect(f(base, {}, { workspaceId: 'B' })).rejects.toMatchObject({ code: 'REFUSED_ADDRESS' });
      await expect(list.add('A', 'intranet')).rejects.toThrow(/"intranet" is not an IP address/);
      expect(await list.list('A')).toEqual(['127.0.0.0/8']);
      await list.remove('A', '127.0.0.0/8');
      await expect(f(base, {}, { workspaceId: 'A' })).rejects.toMatchObject({ code: 'REFUSED_ADDRESS' });
      const everywhere = new OutboundAllowList(store.db, { everywhere: parseAllowList('127.0.0.1/32, ::1') });
      expect(await everywhere.allow('B')).toEqual(['127.0.0.1/32', '::1']);
    } finally {
      await store.close();
    }
  });

  it('NAGARE_OUTBOUND_ALLOW is read strictly', () => {
    expect(parseAllowList(undefined)).toEqual([]);
    expect(parseAllowList(' 10.0.0.0/8 ,192.168.0.0/16 ')).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(() => parseAllowList('10.0.0.0/8,localhost')).toThrow(/NAGARE_OUTBOUND_ALLOW: .*"localhost"/);
  });
});
