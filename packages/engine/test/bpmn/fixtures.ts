import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fixture file beside the tests, as text. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** A minimal document around some process content; the process content starts on line 4. */
export function bpmnDocument(processBody: string, rootExtras = ''): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<bpmn:definitions xmlns:bpmn="${BPMN}" id="Definitions_1" targetNamespace="urn:test"${rootExtras}>`,
    `<bpmn:process id="Process_1">`,
    processBody,
    '</bpmn:process>',
    '</bpmn:definitions>',
  ].join('\n');
}
