/**
 * Text with data items in it, as steps' configs write it (URL, body, mail subject, PDF...):
 *
 * - the product's style: `#{q_field}` or `#{#q_field}` (Questetra EL), `#{processInstanceId}`;
 * - Nagare's own: `{{q_field}}`, `{{issueId}}`, and `{{= FEEL expression}}` (the same FEEL as
 *   conditions, over the issue's data).
 *
 * A value is written as text: numbers and strings as they are, choice ids, users (their name,
 * else id) and files (their names) joined with ", ", tables as JSON. A reference to a data item
 * the App does not declare is an error naming it, so a typo fails the step instead of sending
 * an empty value.
 */
import { type DataItemTypes, evaluateFeel, toFeelContext } from '@nagare/engine';
import type { JobIssue } from '../connector.js';

export type TemplateResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly error: string };

const REFERENCE = /#\{\s*#?([A-Za-z_][A-Za-z0-9_]*)\s*\}|\{\{\s*(=[^}]*|[A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** true when `text` refers to any data item (the step then needs the issue's data). */
export function hasReferences(text: string | undefined): boolean {
  return text !== undefined && new RegExp(REFERENCE.source).test(text);
}

export function renderTemplate(
  template: string,
  issue: Pick<JobIssue, 'id' | 'data' | 'app'>,
  encode: (value: string) => string = (v) => v,
): TemplateResult {
  let error: string | undefined;
  const text = template.replace(REFERENCE, (whole, el: string | undefined, own: string | undefined) => {
    if (error) return whole;
    const name = el ?? own ?? '';
    if (name.startsWith('=')) {
      const result = evaluateFeel(name.slice(1), feelContext(issue));
      if (!result.ok) {
        error = `template ${whole}: ${result.error}`;
        return whole;
      }
      return encode(formatValue(result.value));
    }
    if (name === 'issueId' || name === 'processInstanceId') return encode(issue.id);
    const declared = Object.keys(issue.app.dataItems).length > 0;
    if (declared && !issue.app.dataItems[name]) {
      error = `template ${whole}: the app has no data item "${name}"`;
      return whole;
    }
    return encode(formatValue(issue.data[name]));
  });
  return error ? { ok: false, error } : { ok: true, text };
}

function feelContext(issue: Pick<JobIssue, 'data' | 'app'>): Record<string, unknown> {
  const types: Record<string, NonNullable<DataItemTypes[string]>> = {};
  for (const [name, item] of Object.entries(issue.app.dataItems))
    if (item.valueType) types[name] = item.valueType;
  return toFeelContext(issue.data, types);
}

/** One data value as text (see the module comment). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null || isNamed(v))) {
      return value.map((v) => (isNamed(v) ? displayName(v) : formatValue(v))).join(', ');
    }
    return JSON.stringify(value);
  }
  if (isNamed(value)) return displayName(value);
  return JSON.stringify(value);
}

function isNamed(v: unknown): v is { id: string; name?: string } {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
}

function displayName(v: { id: string; name?: string }): string {
  return typeof v.name === 'string' && v.name !== '' ? v.name : v.id;
}
