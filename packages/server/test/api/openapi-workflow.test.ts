import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkflowApp, type WorkflowTestApp } from './workflow/support.js';

let t: WorkflowTestApp;

beforeAll(async () => {
  t = await buildWorkflowApp();
});
afterAll(async () => t.close());

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\.1/);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the server registers under /api', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const printed = t.app.printRoutes({ commonPrefix: false });
    const routes: { method: string; url: string }[] = [];
    // printRoutes is a tree: each line adds its segment to its parent's path (depth by indent).
    const stack: string[] = [];
    for (const line of printed.split('\n')) {
      const m = /[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
      if (!m) continue;
      const depth = Math.round((line.indexOf('──') - 1) / 4);
      stack.length = depth;
      const path = (stack[depth - 1] ?? '') + (m[1] ?? '');
      stack[depth] = path;
      if (!m[2] || !path.startsWith('/api/') || path.startsWith('/api/docs') || path === '/api/openapi.json')
        continue;
      const url = path.replace(/:(\w+)/g, '{$1}');
      for (const method of m[2].split(', ')) if (method !== 'HEAD') routes.push({ method, url });
    }
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    for (const r of routes) {
      // The tree prints two parameter names at one position as "{a}|{b}": either may be documented.
      if (r.url.includes('|')) {
        const variants = [
          r.url.replace(/\{(\w+)\}\|\{\w+\}/, '{$1}'),
          r.url.replace(/\{\w+\}\|\{(\w+)\}/, '{$1}'),
        ];
        expect(
          variants.some((v) => documented.has(`${r.method} ${v}`)),
          `${r.method} ${r.url}`,
        ).toBe(true);
        continue;
      }
      expect(documented, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`);
    }
    expect(routes.length).toBeGreaterThan(20);
  });
});
