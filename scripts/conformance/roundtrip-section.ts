/**
 * The BPMN round-trip section: each corpus file read, written and read again by the engine's
 * BPMN layer (roundTrip, the same function the corpus test runs), strictly and leniently.
 * Imported from the sources, not the package: a stale dist/ must not decide what the report says.
 */
import { type BpmnProblem, type RoundTripResult, roundTrip } from '../../packages/engine/src/index.js';
import { corpusFiles, readCorpusFile } from './corpus.js';
import { type ConformanceSection, cell } from './section.js';

export const roundTripSection: ConformanceSection = {
  title: 'BPMN round trip',
  async render() {
    const rows: string[] = [];
    const strictTally = { same: 0, changed: 0, refused: 0 };
    const lenientTally = { same: 0, changed: 0, refused: 0 };
    const files = corpusFiles();
    for (const path of files) {
      const xml = readCorpusFile(path);
      const strict = await roundTrip(xml);
      const lenient = await roundTrip(xml, { lenient: true });
      strictTally[strict.status]++;
      lenientTally[lenient.status]++;
      rows.push(row(path, strict, lenient));
    }
    return [
      'Every `.bpmn` file of the shared corpus (`bpmn-corpus/`, see its README) is read with `parseBpmn`, ' +
        'written with `serializeBpmn` and read again; the two reads are compared by model signature ' +
        '(semantic elements, sequence/message flows with conditions, lanes, event definitions, every DI ' +
        'shape and edge with bounds, waypoints and labels, and the elements and attributes of other ' +
        'vendors\u2019 namespaces). Each file is read twice (see [bpmn.md](bpmn.md#strict-and-lenient-reading)):',
      '',
      '- **strict** (the default; compiling, `nagare validate`, deploying): "refused" means the file is ' +
        'not valid BPMN and `parseBpmn` rejects it with the error shown;',
      '- **lenient** (`{ lenient: true }`; import into the modeler, `nagare convert --lenient`): the same ' +
        'problems are warnings, and the elements and references concerned are kept and written back.',
      '',
      `Strict: **${strictTally.same} of ${files.length}** files round-trip unchanged; ${strictTally.refused} refused as invalid; ${strictTally.changed} changed.`,
      `Lenient: **${lenientTally.same} of ${files.length}** files round-trip unchanged; ${lenientTally.refused} refused; ${lenientTally.changed} changed.`,
      '',
      '| file | elements | DI shapes / edges | warnings (lenient) | strict round trip | lenient round trip |',
      '| --- | ---: | ---: | --- | --- | --- |',
      ...rows,
    ].join('\n');
  },
};

function row(path: string, strict: RoundTripResult, lenient: RoundTripResult): string {
  const read = lenient.status === 'refused' ? (strict.status === 'refused' ? undefined : strict) : lenient;
  const counts = read
    ? `${read.signature.elements.length} | ${read.signature.shapes.length} / ${read.signature.edges.length} | ${warnings(read.warnings)}`
    : '\u2013 | \u2013 | \u2013';
  return `| ${cell(path)} | ${counts} | ${outcome(strict)} | ${outcome(lenient)} |`;
}

function outcome(result: RoundTripResult): string {
  if (result.status === 'refused') {
    const error = result.problems.find((p) => p.severity === 'error') ?? result.problems[0];
    return `refused: ${cell(describe(error))}`;
  }
  return result.status === 'same' ? 'same' : `**changed**: ${cell(result.differences.join('; '))}`;
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
