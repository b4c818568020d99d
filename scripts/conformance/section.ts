/**
 * A section of docs/conformance.md. Each concern (BPMN round trip, execution...) is one module
 * exporting a section; main.ts lists them in order and writes the file.
 */
export interface ConformanceSection {
  /** The `##` heading. */
  title: string;
  /** The Markdown under the heading. Deterministic: no dates or timings, so the file only changes when results do. */
  render(): Promise<string>;
}

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
