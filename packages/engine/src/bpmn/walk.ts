/**
 * Visits every element of a moddle tree once, parents before children, in document order.
 * Follows containment only: reference properties (`sourceRef`, `bpmnElement`...) point across
 * the tree and would visit elements twice or loop.
 */
import { isModdleElement, type ModdleElement } from './model.js';

export function walkModdle(root: ModdleElement, visit: (element: ModdleElement) => void): void {
  const stack: ModdleElement[] = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    visit(element);
    const children = containedElements(element);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** The elements directly contained in `element`, in meta-model property order. */
export function containedElements(element: ModdleElement): ModdleElement[] {
  if (element.$descriptor.isGeneric) return element.$children ?? [];
  const children: ModdleElement[] = [];
  for (const property of element.$descriptor.properties ?? []) {
    if (property.isReference || property.isAttr) continue;
    const value = element[property.name];
    if (Array.isArray(value)) {
      for (const item of value) if (isModdleElement(item)) children.push(item);
    } else if (isModdleElement(value)) {
      children.push(value);
    }
  }
  return children;
}
