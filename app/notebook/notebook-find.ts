// Find and replace across a notebook: the matches of a query in every cell's
// source (and, when asked, in the outputs' text, which can be found but not
// replaced), and replacing them as Yjs edits with this person's origin.
//
// Replacing never works from stale offsets: each replacement re-reads the
// cell's current text inside its transaction and only touches the characters
// of the match, so what collaborators type elsewhere in the same cell, even
// while Replace all runs, is kept (Yjs merges edits to different characters).
import type * as Y from 'yjs';
import { cellIdOf, cellsOf, cellTypeOf, findCell, outputsOf, outputToJSON, sourceOf, type YCell } from '../../notebook-model';

export interface FindQuery {
  text: string;
  caseSensitive: boolean;
  /** Also list matches in outputs (read only). */
  inOutputs: boolean;
}

export interface FindMatch {
  cellId: string;
  /** A cell's source can be replaced; an output's text cannot. */
  part: 'source' | 'output';
  from: number;
  to: number;
}

/** Longest query searched for (a longer one is cut), so a paste of a whole file cannot stall the page. */
export const MAX_QUERY_CHARS = 1_000;

/** Offsets of every non-overlapping occurrence of the query in `text`. */
export function occurrences(text: string, query: FindQuery): number[] {
  const needle = query.text.slice(0, MAX_QUERY_CHARS);
  if (needle === '') return [];
  const haystack = query.caseSensitive ? text : text.toLowerCase();
  const wanted = query.caseSensitive ? needle : needle.toLowerCase();
  const found: number[] = [];
  for (let at = haystack.indexOf(wanted); at >= 0; at = haystack.indexOf(wanted, at + wanted.length)) found.push(at);
  return found;
}

/** The readable text of a code cell's outputs, as the find bar searches it. */
export function outputTextOf(cell: YCell): string {
  if (cellTypeOf(cell) !== 'code') return '';
  const parts: string[] = [];
  for (const output of outputsOf(cell)) {
    const json = outputToJSON(output) as unknown as Record<string, unknown>;
    if (json.output_type === 'stream') parts.push(joined(json.text));
    else if (json.output_type === 'error') parts.push(`${String(json.ename)}: ${String(json.evalue)}`);
    else if (json.data && typeof json.data === 'object') parts.push(joined((json.data as Record<string, unknown>)['text/plain']));
  }
  return parts.join('\n');
}

function joined(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

/** Every match in notebook order: a cell's source matches, then its outputs'. */
export function findMatches(doc: Y.Doc, query: FindQuery): FindMatch[] {
  const matches: FindMatch[] = [];
  const length = query.text.slice(0, MAX_QUERY_CHARS).length;
  for (const cell of cellsOf(doc)) {
    const cellId = cellIdOf(cell);
    for (const from of occurrences(sourceOf(cell).toString(), query)) matches.push({ cellId, part: 'source', from, to: from + length });
    if (query.inOutputs) {
      for (const from of occurrences(outputTextOf(cell), query)) matches.push({ cellId, part: 'output', from, to: from + length });
    }
  }
  return matches;
}

/** True when the text at the match's place is still what was searched for. */
function stillMatches(text: string, match: FindMatch, query: FindQuery): boolean {
  const found = text.slice(match.from, match.to);
  return query.caseSensitive ? found === query.text : found.toLowerCase() === query.text.toLowerCase();
}

/** Replaces one source match, if the text there still matches; false when it changed meanwhile. */
export function replaceMatch(doc: Y.Doc, match: FindMatch, query: FindQuery, replacement: string, origin: unknown): boolean {
  if (match.part !== 'source') return false;
  const cell = findCell(doc, match.cellId);
  if (!cell) return false;
  const text = sourceOf(cell);
  if (!stillMatches(text.toString(), match, query)) return false;
  doc.transact(() => {
    text.delete(match.from, match.to - match.from);
    text.insert(match.from, replacement);
  }, origin);
  return true;
}

/** Replaces every source match in one transaction; returns how many. */
export function replaceAll(doc: Y.Doc, query: FindQuery, replacement: string, origin: unknown): number {
  const length = query.text.slice(0, MAX_QUERY_CHARS).length;
  let count = 0;
  doc.transact(() => {
    for (const cell of cellsOf(doc)) {
      const text = sourceOf(cell);
      const found = occurrences(text.toString(), query);
      // From the end, so the offsets still to be replaced do not move.
      for (let i = found.length - 1; i >= 0; i--) {
        text.delete(found[i], length);
        text.insert(found[i], replacement);
      }
      count += found.length;
    }
  }, origin);
  return count;
}
