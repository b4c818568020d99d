// The BPMN 2.0 layer: read, validate and write BPMN XML with Nagare's extension, keeping
// other vendors' extensions and all diagram information.
export {
  extensionElements,
  type NagareElement,
  type NagareTypeName,
  nagareExtension,
  nagareExtensions,
} from './extensions.js';
export { DEFAULT_MAX_BPMN_BYTES, type ParseBpmnOptions } from './guard.js';
export { type BpmnDefinitions, is, isModdleElement, type ModdleElement, many } from './model.js';
export {
  diffModelSignatures,
  type ModelSignature,
  modelSignature,
  SIGNATURE_SECTIONS,
  type SignatureSection,
} from './model-signature.js';
export { NAGARE_NS_URI, NAGARE_PREFIX, nagareModdleDescriptor } from './nagare-moddle.js';
export { type ParsedBpmn, parseBpmn } from './parse.js';
export { type BpmnCode, BpmnCodes, BpmnError, type BpmnProblem, formatProblem } from './problems.js';
export { isDanglingReference, isExternalReference } from './references.js';
export { type RoundTripResult, roundTrip } from './round-trip.js';
export { type SerializeBpmnOptions, serializeBpmn } from './serialize.js';
export { validateBpmn } from './validate.js';
export { containedElements, walkModdle } from './walk.js';
