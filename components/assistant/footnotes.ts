import type { TAnnotation } from './api';

/** Source numbers by the text offset their annotation ends at (the numbering of `sourcesOf`). */
export function footnotesOf(annotations: TAnnotation[], numbers: Map<string, number>): Map<number, number[]> {
  const footnotes = new Map<number, number[]>();
  for (const annotation of annotations) {
    const number = numbers.get(annotation.url);
    if (number === undefined) continue;
    const existing = footnotes.get(annotation.end_index) ?? [];
    if (!existing.includes(number)) footnotes.set(annotation.end_index, [...existing, number]);
  }
  return footnotes;
}
