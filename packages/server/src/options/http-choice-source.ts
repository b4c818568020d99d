import { type OptionItem, OptionsIndex, parseOptionsXml } from '@nagare/engine';
import type { OutboundContext, OutboundFetch } from '../outbound/outbound-fetch.js';
import { redactUrl } from '../outbound/redact.js';
import { describeProblems, OptionsError } from './options-error.js';

/** The questions of the product's HTTP choice protocol (reference-questetra.md §3). */
export interface HttpChoicesQuery {
  /** Labels containing it (a search select box). */
  readonly query?: string;
  /** Ids starting with it (a dependent select's parent choice). */
  readonly parent?: string;
  /** Exact ids (the selected values, to show their labels). */
  readonly values?: readonly string[];
  /** At most this many (default 50). */
  readonly limit?: number;
}

export interface HttpChoiceSourceOptions {
  /** The one way out (outbound/): address policy, redirects, logging. */
  readonly fetch: OutboundFetch;
  /** Whole request including the body (default 5 s: a person is waiting on a form). */
  readonly timeoutMs?: number;
  /** Largest answer read (default 4 MiB; choice answers are filtered lists, not whole masters). */
  readonly maxBytes?: number;
}

export const DEFAULT_CHOICES_TIMEOUT_MS = 5_000;
export const DEFAULT_CHOICES_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Choices from an HTTP source (a select item's `choicesUrl`): GET the URL with `query`,
 * `parent` and `values` (repeated) added, read the options XML it answers, strictly. The
 * answer is filtered again here with the same rules as a master (label contains, id starts
 * with, exact ids), so a source that ignores the parameters and sends its whole list still
 * gives the right choices.
 */
export class HttpChoiceSource {
  readonly #fetch: OutboundFetch;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;

  constructor(options: HttpChoiceSourceOptions) {
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CHOICES_TIMEOUT_MS;
    this.#maxBytes = options.maxBytes ?? DEFAULT_CHOICES_MAX_BYTES;
  }

  async choices(url: string, query: HttpChoicesQuery, context: OutboundContext): Promise<OptionItem[]> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new OptionsError(
        'CHOICES_UNAVAILABLE',
        `the choices URL ${JSON.stringify(redactUrl(url))} is not a URL`,
      );
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new OptionsError(
        'CHOICES_UNAVAILABLE',
        `the choices URL must be http or https; got ${target.protocol}`,
      );
    }
    if (query.query !== undefined && query.query !== '') target.searchParams.set('query', query.query);
    if (query.parent !== undefined && query.parent !== '') target.searchParams.set('parent', query.parent);
    for (const value of query.values ?? []) target.searchParams.append('values', value);
    const shown = redactUrl(target);

    const signal = AbortSignal.timeout(this.#timeoutMs);
    let xml: string;
    try {
      const response = await this.#fetch(
        target,
        { method: 'GET', headers: { accept: 'application/xml, text/xml' }, signal },
        context,
      );
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new OptionsError(
          'CHOICES_UNAVAILABLE',
          `the choices source ${shown} answered HTTP ${response.status}`,
        );
      }
      xml = await readCapped(response, this.#maxBytes, shown, signal);
    } catch (error) {
      if (error instanceof OptionsError) throw error;
      if (signal.aborted) {
        throw new OptionsError(
          'CHOICES_UNAVAILABLE',
          `the choices source ${shown} did not answer within ${this.#timeoutMs} ms`,
          {
            cause: error,
          },
        );
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new OptionsError(
        'CHOICES_UNAVAILABLE',
        `the choices source ${shown} could not be read: ${reason}`,
        {
          cause: error,
        },
      );
    }
    const parsed = parseOptionsXml(xml, { maxBytes: this.#maxBytes });
    if (!parsed.ok) {
      throw new OptionsError(
        'CHOICES_UNAVAILABLE',
        `the choices source ${shown} did not answer options XML: ${describeProblems(parsed.problems)}`,
        {
          problems: parsed.problems,
        },
      );
    }
    const index = new OptionsIndex(parsed.items);
    return index.lookup({
      ...(query.values ? { values: query.values } : {}),
      ...(query.query ? { query: query.query } : {}),
      ...(query.parent ? { parent: query.parent } : {}),
      limit: query.limit ?? 50,
    });
  }
}

/** The body as text, refusing past `maxBytes` while it streams (and when the signal aborts). */
async function readCapped(
  response: Response,
  maxBytes: number,
  shown: string,
  signal: AbortSignal,
): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        throw new OptionsError(
          'CHOICES_UNAVAILABLE',
          `the choices source ${shown} answered more than ${maxBytes} bytes`,
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}
