// A fork's link to the notebook it was forked from ("upstream"): which of the
// source's later changes the fork has not taken yet, and taking them one cell
// at a time.
//
// The fork's document keeps, in a top-level map of its own, a fingerprint of
// each cell as it last came from the source: at fork time, and again whenever a
// cell is pulled. Comparing three states per cell id (the source now, that
// base, the fork now) tells the source's edits from the fork owner's: a cell the
// source has not touched since the base is never offered, however much the fork
// owner changed it. The map lives beside `cells` and `meta`, so files exported
// from the fork and Jupyter's own readers never see it.
import * as Y from 'yjs';
import { cellIdOf, cellTypeOf, changeCellType, findCell, indexOfCell, insertCell, sourceOf } from './cells';
import { cellsOf, type CellType } from './schema';

/** The top-level map: cell id → fingerprint of the cell as last taken from upstream. */
export const UPSTREAM_BASE = 'upstreamBase';

/** What of a source cell a fork compares and pulls. */
export interface UpstreamCell {
  id: string;
  cell_type: CellType;
  source: string;
}

export type UpstreamChangeKind =
  /** The source added the cell since the base. */
  | 'added'
  /** The source changed the cell; the fork still has it as it was. */
  | 'changed'
  /** Both changed the cell: pulling replaces the fork's edits. */
  | 'conflict'
  /** The source changed a cell the fork deleted: pulling brings it back. */
  | 'deleted-here';

export interface UpstreamChange {
  kind: UpstreamChangeKind;
  cell: UpstreamCell;
  /** The cell's position in the source, for showing changes in the source's order. */
  sourceIndex: number;
}

export function upstreamBaseOf(doc: Y.Doc): Y.Map<string> {
  return doc.getMap<string>(UPSTREAM_BASE);
}

/**
 * A short fingerprint of a cell's type and source (53-bit FNV-style hash, as
 * base-36). Only compared for equality, never trusted for security.
 */
export function cellFingerprint(cellType: string, source: string): string {
  let h1 = 0xdeadbeef ^ source.length;
  let h2 = 0x41c6ce57 ^ cellType.length;
  const text = `${cellType}\u0000${source}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Records every cell of `doc` as taken from upstream as it stands (the fork's starting point). */
export function recordUpstreamBase(doc: Y.Doc, origin?: unknown): void {
  const base = upstreamBaseOf(doc);
  doc.transact(() => {
    for (const cell of cellsOf(doc)) base.set(cellIdOf(cell), cellFingerprint(cellTypeOf(cell), sourceOf(cell).toString()));
  }, origin);
}

/** The source's changes the fork has not taken, in the source's order. */
export function upstreamChanges(doc: Y.Doc, sourceCells: readonly UpstreamCell[]): UpstreamChange[] {
  const base = upstreamBaseOf(doc);
  const changes: UpstreamChange[] = [];
  sourceCells.forEach((cell, sourceIndex) => {
    const now = cellFingerprint(cell.cell_type, cell.source);
    const taken = base.get(cell.id);
    if (taken === now) return; // the source has not changed it since the fork took it
    const mine = findCell(doc, cell.id);
    let kind: UpstreamChangeKind;
    if (taken === undefined) {
      // New upstream; a fork cell of the same id and content means it is already here.
      if (mine && cellFingerprint(cellTypeOf(mine), sourceOf(mine).toString()) === now) return;
      kind = 'added';
    } else if (!mine) {
      kind = 'deleted-here';
    } else {
      const here = cellFingerprint(cellTypeOf(mine), sourceOf(mine).toString());
      if (here === now) return; // the fork made the same change itself
      kind = here === taken ? 'changed' : 'conflict';
    }
    changes.push({ kind, cell, sourceIndex });
  });
  return changes;
}

/** Replaces a Y.Text's content, keeping the common start and end so collaborators' cursors stay put. */
function replaceText(text: Y.Text, next: string): void {
  const old = text.toString();
  if (old === next) return;
  let start = 0;
  while (start < old.length && start < next.length && old[start] === next[start]) start++;
  let end = 0;
  while (end < old.length - start && end < next.length - start && old[old.length - 1 - end] === next[next.length - 1 - end]) end++;
  if (old.length - start - end > 0) text.delete(start, old.length - start - end);
  if (next.length - start - end > 0) text.insert(start, next.slice(start, next.length - end));
}

/**
 * Takes one source cell into the fork, in one transaction (one undo step):
 * the cell's type and source replace the fork's, or the cell is inserted after
 * the nearest cell above it in the source that the fork has. Outputs stay the
 * fork's own (a pulled code cell is the fork owner's to run). Returns the cell's id.
 */
export function pullUpstreamCell(doc: Y.Doc, sourceCells: readonly UpstreamCell[], cellId: string, origin?: unknown): string {
  const at = sourceCells.findIndex((c) => c.id === cellId);
  if (at < 0) throw new Error(`cell ${cellId} is no longer in the source notebook`);
  const cell = sourceCells[at];
  doc.transact(() => {
    if (findCell(doc, cell.id)) {
      changeCellType(doc, cell.id, cell.cell_type, origin);
      replaceText(sourceOf(findCell(doc, cell.id)!), cell.source);
    } else {
      let index = 0;
      for (let i = at - 1; i >= 0; i--) {
        const above = indexOfCell(doc, sourceCells[i].id);
        if (above >= 0) { index = above + 1; break; }
      }
      insertCell(doc, index, { id: cell.id, cell_type: cell.cell_type, source: cell.source }, origin);
    }
    upstreamBaseOf(doc).set(cell.id, cellFingerprint(cell.cell_type, cell.source));
  }, origin);
  return cell.id;
}
