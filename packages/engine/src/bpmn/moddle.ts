/**
 * The one place that builds a bpmn-moddle instance: BPMN 2.0 + DI (+ the bpmn.io colour
 * packages that bpmn-moddle bundles) + Nagare's extension. One instance is shared: a moddle
 * holds only its meta-model registry, and building that registry is the costly part.
 */
import { BpmnModdle, type RawBpmnModdle } from 'bpmn-moddle';
import { nagareModdleDescriptor } from './nagare-moddle.js';

let shared: RawBpmnModdle | undefined;

export function bpmnModdle(): RawBpmnModdle {
  shared ??= BpmnModdle({ nagare: nagareModdleDescriptor });
  return shared;
}

export const BPMN_MODEL_NS_URI = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
