/**
 * Every FEEL expression in the engine's tests, golden models and bench models goes through
 * the compiled path, not feelin's fallback: conditions, update-data assignments, timers,
 * multi-instance cardinality and completion conditions, deadlines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translateJuel } from '../../src/compile/expressions.js';
import { compileFeel } from '../../src/expr/compile/compile-feel.js';

const ROOTS = [join(import.meta.dirname, '..'), join(import.meta.dirname, '../../../../bench/models')];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return /\.(bpmn|ts|json)$/.test(e.name) && !e.name.startsWith('compiled-') ? [path] : [];
  });
}

const PATTERNS = [
  /<(?:\w+:)?conditionExpression\b[^>]*>([^<]+)</g,
  /<(?:\w+:)?(?:loopCardinality|completionCondition)\b[^>]*>([^<]+)</g,
  /<(?:\w+:)?time(?:Duration|Date|Cycle)\b[^>]*>\s*=([^<]+)</g,
  /\bexpression="([^"]+)"/g,
  /\b(?:expression|condition|cardinality)\s*:\s*'([^']+)'/g,
  /\bevaluate(?:Feel|Condition)\(\s*'([^']+)'/g,
];

// Deliberate syntax errors in the tests: feelin words their messages.
const SYNTAX_ERRORS = new Set(['q_d +', 'amount >', 'q_n >>']);
// Function definitions are not compiled (feel.test.ts checks a function result is refused).
const FEELIN_ONLY = ['function(x) x'];

function unescapeXml(s: string): string {
  return s
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function expressions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const root of ROOTS) {
    for (const file of files(root)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of PATTERNS) {
        for (const m of text.matchAll(pattern)) {
          let source = unescapeXml(m[1] ?? '').trim();
          if (source.startsWith('${') || source.startsWith('#{')) source = translateJuel(source) ?? '';
          source = source.replace(/^=/, '').trim();
          // Template placeholders in test sources are not expressions.
          if (source === '' || source.includes('${')) continue;
          if (!found.has(source)) found.set(source, file);
        }
      }
    }
  }
  return found;
}

describe('compiled path coverage', () => {
  it('compiles every expression of the engine tests and bench models', () => {
    const all = expressions();
    const fallback = [...all.keys()].filter((e) => compileFeel(e) === null && !SYNTAX_ERRORS.has(e));
    console.log(
      `compiled ${all.size - fallback.length} of ${all.size} expressions; feelin only: ${JSON.stringify(fallback)}`,
    );
    expect(all.size).toBeGreaterThan(20);
    expect(fallback).toEqual(FEELIN_ONLY);
  });
});
