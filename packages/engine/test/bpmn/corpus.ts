// The corpus helpers live with the conformance script, so both walk the same files.
export { corpusFiles, corpusRoot, readCorpusFile } from '../../../../scripts/conformance/corpus.js';
