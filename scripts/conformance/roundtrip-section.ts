/**
 * The BPMN round-trip section: each corpus file read, written and read again by the engine's
 * BPMN layer (roundTrip, the same function the corpus test runs). Imported from the sources,
 * not the package: a stale dist/ must not decide what the report says.
 */
import { type BpmnProblem, type RoundTripResult, roundTrip } from '../../packages/engine/src/index.js';
import { corpusFiles, readCorpusFile } from './corpus.js';
import { type ConformanceSection, cell } from './section.js';

export const roundTripSection: ConformanceSection = {
  title: 'BPMN round trip',
  async render() {
    const rows: string[] = [];
    const tally = { same: 0, changed: 0, refused: 0 };
    const files = corpusFiles();
    for (const path of files) {
      const result = await roundTrip(readCorpusFile(path));
      tally[result.status]++;
      rows.push(row(path, result));
    }
    return [
      'Every `.bpmn` file of the shared corpus (`bpmn-corpus/`, see its README) is read with `parseBpmn`, ' +
        'written with `serializeBpmn` and read again; the two reads are compared by model signature ' +
        '(semantic elements, sequence/message flows with conditions, lanes, event definitions, every DI ' +
        'shape and edge with bounds, waypoints and labels, and the elements and attributes of other ' +
        'vendors\u2019 namespaces). "refused" means the file is not valid BPMN and `parseBpmn` rejects it ' +
        'with the error shown.',
      '',
      `**${tally.same} of ${files.length}** files round-trip unchanged; ${tally.refused} refused as invalid; ${tally.changed} changed.`,
      '',
      '| file | elements | DI shapes / edges | warnings | round trip |',
      '| --- | ---: | ---: | --- | --- |',
      ...rows,
    ].join('\n');
  },
};

function row(path: string, result: RoundTripResult): string {
  if (result.status === 'refused') {
    const error = result.problems.find((p) => p.severity === 'error') ?? result.problems[0];
    return `| ${cell(path)} | \u2013 | \u2013 | \u2013 | refused: ${cell(describe(error))} |`;
  }
  const { signature } = result;
  const outcome = result.status === 'same' ? 'same' : `**changed**: ${cell(result.differences.join('; '))}`;
  return `| ${cell(path)} | ${signature.elements.length} | ${signature.shapes.length} / ${signature.edges.length} | ${warnings(result.warnings)} | ${outcome} |`;
}

function describe(problem: BpmnProblem | undefined): string {
  if (!problem) return 'no problem reported';
  const where = problem.line === undefined ? '' : ` (line ${problem.line})`;
  return `\`${problem.code}\`${where} ${problem.message}`;
}

/** `2: BPMN_EXTERNAL_REFERENCE ×2`, or `0`. */
function warnings(list: readonly BpmnProblem[]): string {
  if (list.length === 0) return '0';
  const counts = new Map<string, number>();
  for (const w of list) counts.set(w.code, (counts.get(w.code) ?? 0) + 1);
  const codes = [...counts].map(([code, n]) => (n > 1 ? `${code} \u00d7${n}` : code));
  return `${list.length}: ${codes.join(', ')}`;
}
