import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodes, NagareError, NotFound } from '../../src/api/errors.js';

describe('error codes', () => {
  it('coded constructors carry code, status and message', () => {
    const error = new NotFound('issue', 'i-1');
    expect(error).toBeInstanceOf(NagareError);
    expect(error.toBody()).toEqual({
      error: { code: 'NAGARE_NOT_FOUND', message: 'No issue with id "i-1"' },
    });
    expect(error.statusCode).toBe(404);
  });

  it('docs/api.md has a row per code with its status', async () => {
    const doc = await readFile(new URL('../../../../docs/api.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(errorCodes)) {
      expect(doc, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    }
  });
});
