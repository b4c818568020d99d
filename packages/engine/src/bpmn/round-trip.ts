/**
 * One round trip of a document, as the corpus test and the conformance report run it: read,
 * write, read again, and compare the two reads' signatures. Pure: the caller reads the file.
 * `{ lenient: true }` reads both times leniently (see ParseBpmnOptions).
 */
import type { ParseBpmnOptions } from './guard.js';
import { diffModelSignatures, type ModelSignature, modelSignature } from './model-signature.js';
import { parseBpmn } from './parse.js';
import { BpmnError, type BpmnProblem } from './problems.js';
import { serializeBpmn } from './serialize.js';

export type RoundTripResult =
  /** Read, written (`written`) and read again with an equal signature. */
  | { status: 'same'; signature: ModelSignature; warnings: BpmnProblem[]; written: string }
  /** The second read differs from the first: `differences` says how. */
  | {
      status: 'changed';
      signature: ModelSignature;
      warnings: BpmnProblem[];
      written: string;
      differences: string[];
    }
  /** The document has errors (parseBpmn refused it): nothing to round-trip. */
  | { status: 'refused'; problems: readonly BpmnProblem[] };

export async function roundTrip(xml: string, options?: ParseBpmnOptions): Promise<RoundTripResult> {
  let first: Awaited<ReturnType<typeof parseBpmn>>;
  try {
    first = await parseBpmn(xml, options);
  } catch (error) {
    if (error instanceof BpmnError) return { status: 'refused', problems: error.problems };
    throw error;
  }
  const signature = modelSignature(first.definitions);
  const written = await serializeBpmn(first);
  // The written text may be larger than the input (indentation): no size limit on the re-read.
  // Read back the way it was read: leniently written problems are still there.
  const second = await parseBpmn(written, { maxBytes: Number.MAX_SAFE_INTEGER, lenient: options?.lenient });
  const differences = diffModelSignatures(signature, modelSignature(second.definitions));
  return differences.length === 0
    ? { status: 'same', signature, warnings: first.warnings, written }
    : { status: 'changed', signature, warnings: first.warnings, written, differences };
}
