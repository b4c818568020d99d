import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nagareVersion } from '../../src/version.js';
import { buildTestApp, type TestApp } from '../support/app.js';

describe('the app', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('GET / says what is running, without secrets, and links to health and docs', async () => {
    const response = await t.app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(`Nagare ${nagareVersion}`);
    expect(response.body).toContain('SQLite');
    expect(response.body).toContain(t.store.location);
    expect(response.body).toContain('all (serves the API, runs jobs and timers)');
    expect(response.body).toContain('href="/api/health"');
    expect(response.body).toContain('href="/api/docs"');
  });

  it('GET /api/health answers ok with the version and database', async () => {
    const response = await t.app.inject('/api/health');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      status: 'ok',
      version: nagareVersion,
      database: { dialect: 'sqlite', ok: true },
    });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await t.app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info).toMatchObject({ title: 'Nagare API', version: nagareVersion });
    // Every route is compared with the document in openapi-*.test.ts; here the basics are there.
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/', '/api/health']));
    const health = spec.paths['/api/health'].get;
    expect(health.parameters).toEqual([
      expect.objectContaining({ name: 'timeoutMs', in: 'query', required: false }),
    ]);
    expect(Object.keys(health.responses).sort()).toEqual(['200', '400', '503']);
  });

  it('serves the docs UI and its assets from the npm package (no CDN)', async () => {
    const page = await t.app.inject('/api/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\/(unpkg|cdn|cdnjs|jsdelivr)/);
    const initializer = await t.app.inject('/api/docs/static/swagger-initializer.js');
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain('validatorUrl: null');
    for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']) {
      expect(page.body).toContain(`/api/docs/static/${asset}`);
      const response = await t.app.inject(`/api/docs/static/${asset}`);
      expect(response.statusCode, asset).toBe(200);
    }
    const json = await t.app.inject('/api/docs/json');
    expect(json.json().openapi).toBe('3.1.0');
  });
});

describe('rejected requests', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('an unknown route is 404 NAGARE_NOT_FOUND', async () => {
    const response = await t.app.inject('/api/nothing-here?x=1');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'NAGARE_NOT_FOUND', message: 'Route GET /api/nothing-here not found' },
    });
  });

  it('a known path with the wrong method is 405 NAGARE_METHOD_NOT_ALLOWED with Allow', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/health' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.json().error.code).toBe('NAGARE_METHOD_NOT_ALLOWED');
  });

  it.each([
    ['timeoutMs=soon', 'querystring.timeoutMs must be integer'],
    ['timeoutMs=5', 'querystring.timeoutMs must be >= 100'],
    ['timeoutMs=99999999', 'querystring.timeoutMs must be <= 30000'],
  ])('a bad query (%s) is 400 NAGARE_INVALID_REQUEST naming the field', async (query, problem) => {
    const response = await t.app.inject(`/api/health?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'NAGARE_INVALID_REQUEST',
        message: `Invalid request: ${problem}`,
        details: [{ field: 'querystring.timeoutMs', message: problem.replace('querystring.timeoutMs ', '') }],
      },
    });
  });

  it('a bug is 500 NAGARE_INTERNAL without leaking its message', async () => {
    t.app.get('/boom', { schema: { hide: true } }, async () => {
      throw new Error('secret internals');
    });
    const response = await t.app.inject('/boom');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'NAGARE_INTERNAL', message: 'Internal server error' } });
  });

  it('a body that is not JSON is 400 NAGARE_INVALID_JSON', async () => {
    t.app.post('/echo', { schema: { hide: true } }, async (request) => request.body);
    const response = await t.app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('NAGARE_INVALID_JSON');
  });
});

describe('rejected bodies', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
    t.app.post('/echo', { schema: { hide: true } }, async (request) => request.body);
  });
  afterEach(async () => {
    await t.close();
  });

  it('an unsupported content type is 415 NAGARE_UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'x',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({
      error: {
        code: 'NAGARE_UNSUPPORTED_MEDIA_TYPE',
        message: 'Unsupported content type: application/x-unknown',
      },
    });
  });

  it('a body over the limit is 413 NAGARE_PAYLOAD_TOO_LARGE', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: `"${'x'.repeat(1_100_000)}"`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('NAGARE_PAYLOAD_TOO_LARGE');
  });
});
