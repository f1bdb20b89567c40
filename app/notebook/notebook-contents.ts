// The table of contents of a notebook: the markdown headings of its cells in
// order (ATX `#` headings outside fenced code, as Jupyter's own table of
// contents reads them), and which section a cell belongs to (the last heading
// at or before it), so collaborators can be placed in the outline.
import type * as Y from 'yjs';
import { cellIdOf, cellsOf, cellTypeOf, sourceOf } from '../../notebook-model';

export interface Heading {
  cellId: string;
  /** The cell's position in the notebook. */
  cellIndex: number;
  /** 1 for `#`, up to 6. */
  level: number;
  text: string;
}

/** Longest heading text kept for the panel (a heading line may be a pasted paragraph). */
const MAX_HEADING_CHARS = 200;

/** The headings of a markdown source, in order. */
export function headingsInMarkdown(source: string): { level: number; text: string }[] {
  const headings: { level: number; text: string }[] = [];
  let fence: string | null = null;
  for (const line of source.split('\n')) {
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark) {
      if (fence === null) fence = fenceMark[0];
      else if (fenceMark[0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading && heading[2] !== '') headings.push({ level: heading[1].length, text: plainText(heading[2]).slice(0, MAX_HEADING_CHARS) });
  }
  return headings;
}

/** A heading's text without the markdown that decorates it (emphasis, code, links). */
function plainText(markdown: string): string {
  return markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]/g, '');
}

export function headingsOf(doc: Y.Doc): Heading[] {
  const headings: Heading[] = [];
  cellsOf(doc).forEach((cell, cellIndex) => {
    if (cellTypeOf(cell) !== 'markdown') return;
    const cellId = cellIdOf(cell);
    for (const h of headingsInMarkdown(sourceOf(cell).toString())) headings.push({ cellId, cellIndex, ...h });
  });
  return headings;
}

/** Index in `headings` of the section holding the cell at `cellIndex`; -1 before the first heading. */
export function sectionOf(headings: readonly Heading[], cellIndex: number): number {
  let lo = 0;
  let hi = headings.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (headings[mid].cellIndex <= cellIndex) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // A cell with several headings: its last heading is the one it continues under.
  return found;
}
