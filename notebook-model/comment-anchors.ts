// Where a comment thread points, and whether it still can.
//
// A source anchor is two Yjs relative positions into the cell's source Y.Text:
// the start sticks to the first selected character (assoc 0, so text typed just
// before the selection stays outside it) and the end to the last one (assoc -1,
// so text typed just after stays outside too). Both follow their characters
// through anyone's concurrent edits. When every anchored character is deleted
// both collapse to one index: the thread is then `gone` and shows its quote.
// The cell is found by id; a deleted cell makes its threads `gone` too. A move
// copies the cell (cells.ts), so a moved cell's anchor is found again by its
// quote (the text selected when the thread began).
import * as Y from 'yjs';
import { cellIdOf } from './cells';
import { maxQuoteChars, type CommentAnchor } from './comments';
import { CellKey, cellsOf, type YCell } from './schema';

/** A thread's anchor resolved against the document as it is now. */
export type ResolvedAnchor =
  | { state: 'live'; cellIndex: number; kind: 'source'; from: number; to: number }
  | { state: 'live'; cellIndex: number; kind: 'output'; outputIndex: number; line: number }
  | { state: 'live'; cellIndex: number; kind: 'cell' }
  /** The cell, or the anchored text, is no longer there. */
  | { state: 'gone'; cellIndex: number | null };

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An anchor on characters [from, to) of `cell`'s source (from < to). */
export function sourceAnchor(cell: YCell, from: number, to: number): CommentAnchor {
  const text = cell.get(CellKey.source) as Y.Text;
  if (!(from >= 0 && from < to && to <= text.length)) throw new RangeError(`a source anchor needs 0 ≤ from < to ≤ ${text.length}, got ${from}..${to}`);
  return {
    cellId: cellIdOf(cell),
    kind: 'source',
    start: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, from, 0))),
    end: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, to, -1))),
    quote: text.toString().slice(from, to).slice(0, maxQuoteChars),
  };
}

/** An anchor on the whole cell. */
export function cellAnchor(cell: YCell): CommentAnchor {
  return { cellId: cellIdOf(cell), kind: 'cell', quote: (cell.get(CellKey.source) as Y.Text).toString().slice(0, maxQuoteChars) };
}

/** An anchor on line `line` (0-based) of output `outputIndex`, whose text is `lineText`. */
export function outputAnchor(cell: YCell, outputIndex: number, line: number, lineText: string): CommentAnchor {
  return { cellId: cellIdOf(cell), kind: 'output', outputIndex, line, quote: lineText.slice(0, maxQuoteChars) };
}

/** True when `value` is a well-formed encoded relative position. */
export function isEncodedPosition(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 200) return false;
  try {
    Y.decodeRelativePosition(fromBase64(value));
    return true;
  } catch {
    return false;
  }
}

/** Where `anchor` points in `doc` now. */
export function resolveAnchor(doc: Y.Doc, anchor: CommentAnchor): ResolvedAnchor {
  const cells = cellsOf(doc);
  let cellIndex = -1;
  for (let i = 0; i < cells.length; i++) {
    if (cells.get(i) instanceof Y.Map && cellIdOf(cells.get(i)) === anchor.cellId) { cellIndex = i; break; }
  }
  if (cellIndex < 0) return { state: 'gone', cellIndex: null };
  if (anchor.kind === 'cell') return { state: 'live', cellIndex, kind: 'cell' };
  if (anchor.kind === 'output') return { state: 'live', cellIndex, kind: 'output', outputIndex: anchor.outputIndex, line: anchor.line };
  const text = cells.get(cellIndex).get(CellKey.source);
  const start = absolute(doc, anchor.start);
  const end = absolute(doc, anchor.end);
  if (start && end && start.type === text && end.type === text) {
    return start.index < end.index ? { state: 'live', cellIndex, kind: 'source', from: start.index, to: end.index } : { state: 'gone', cellIndex };
  }
  // The positions are in another Y.Text: the cell was moved (a move copies the
  // cell), split or merged. Its quote, where it still appears, is the best guess.
  const at = anchor.quote ? (text as Y.Text).toString().indexOf(anchor.quote) : -1;
  if (at < 0) return { state: 'gone', cellIndex };
  return { state: 'live', cellIndex, kind: 'source', from: at, to: at + anchor.quote.length };
}

function absolute(doc: Y.Doc, encoded: string): Y.AbsolutePosition | null {
  try {
    return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(encoded)), doc);
  } catch {
    return null;
  }
}
