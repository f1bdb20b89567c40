// Stale marks: which code cells' outputs no longer describe the notebook, and
// why, computed from the document alone (sources, run records, the current
// kernel session). The editor, the published page, versions and the CLI all call
// `staleMarks`, so they always agree.
//
// A code cell that has a run record is stale when:
//   edited       its source differs from the source that ran (hash);
//   session      it ran on another kernel session than the current one (a restart);
//   depends      a cell it read a name from was re-run after it, edited since it
//                ran, or deleted ("depends on cell 3 (x, df)");
//   out-of-order it ran after a cell below it, in the same session.
// For kernels other than Python only `edited` and `session` apply (no analysis).
//
// Where a name came from: the run record's `cellmate.inputs`, written when the
// cell ran (`runInputsOf`: for each name it uses, the other cell that defines or
// mutates it and ran last in the session). Records without inputs (written by
// another tool) get the same computed now, among runs that began before theirs.
// Any cell above that defines a used name and ran after the cell also makes it stale.
//
// Cost: per-cell analysis and hashes are cached by source text, so a change to
// one cell re-analyses one cell; the rest is linear in the notebook (bench/stale-marks.ts).
import type * as Y from 'yjs';
import { cellIdOf, cellTypeOf, sourceOf } from './cells';
import { notebookLanguageOf } from './notebook-doc';
import { cellNames, type CellNames } from './python-names';
import {
  EXECUTION_METADATA, kernelSessionOf, parseRunRecord, runStartOf, sourceSha256, type RunInput, type RunRecord,
} from './run-record';
import { cellsOf, type YCell } from './schema';
import { cellMetadataOf } from './cells';

export type StaleReason =
  | { kind: 'edited' }
  | { kind: 'session' }
  | { kind: 'depends'; cellId: string; /** 1-based position of that cell, absent when it was deleted. */ index?: number; names: string[]; change: 're-run' | 'edited' | 'deleted' }
  | { kind: 'out-of-order' };

export interface CellMark {
  cellId: string;
  /** 1-based position in the notebook (all cell types counted). */
  index: number;
  /** `not-run`: a code cell without a run record. */
  state: 'fresh' | 'stale' | 'not-run';
  reasons: StaleReason[];
}

export interface StaleMarks {
  /** One mark per code cell, in notebook order. */
  cells: CellMark[];
  byId: Map<string, CellMark>;
  /** False for kernels other than Python: only `edited` and `session` were checked. */
  dependencyAnalysis: boolean;
  /** The notebook's current kernel session, if a kernel was ever started for it. */
  session?: string;
}

/** A human sentence for one reason, e.g. "depends on cell 3 (x, df), re-run since". */
export function describeReason(reason: StaleReason): string {
  switch (reason.kind) {
    case 'edited': return 'edited since it ran';
    case 'session': return 'ran before the kernel was restarted';
    case 'out-of-order': return 'ran after a cell below it';
    case 'depends': {
      const which = reason.index === undefined ? `deleted cell ${reason.cellId}` : `cell ${reason.index}`;
      const change = reason.change === 'deleted' ? '' : `, ${reason.change} since`;
      return `depends on ${which} (${reason.names.join(', ')})${change}`;
    }
  }
}

// --- per-cell facts, cached -------------------------------------------------

interface Analysed {
  names: CellNames;
  /** Names this cell gives a value to: defined or changed in place. */
  provides: Set<string>;
}

const MAX_CACHED = 50_000;
const analysisBySource = new Map<string, Analysed>();
const hashBySource = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}

const analyse = (source: string): Analysed => remember(analysisBySource, source, () => {
  const names = cellNames(source);
  return { names, provides: new Set([...names.defines, ...names.mutates]) };
});
const hashOf = (source: string): string => remember(hashBySource, source, () => sourceSha256(source));

interface CodeCell {
  id: string;
  /** 1-based position among all cells. */
  index: number;
  source: string;
  record?: RunRecord;
  start?: number;
}

/**
 * Each document's cells as plain values, kept up to date by one observer: a
 * change re-reads only the cells it touched, so a keystroke costs one cell's
 * read, not the whole notebook's (Yjs reads are the expensive part).
 */
class CellSnapshots {
  private list: { cell: YCell; type: string }[] | undefined;
  private readonly snapshots = new WeakMap<YCell, CodeCell>();

  constructor(private readonly doc: Y.Doc) {
    const cells = cellsOf(doc);
    cells.observeDeep((events) => {
      for (const event of events) {
        if (event.target === cells) { this.list = undefined; continue; }
        let node: Y.AbstractType<unknown> | null = event.target;
        while (node && node.parent !== cells) node = node.parent as Y.AbstractType<unknown> | null;
        if (node) this.snapshots.delete(node as YCell);
      }
    });
  }

  codeCells(): CodeCell[] {
    // Inside a transaction the observer has not run yet: what it changed so far is read afresh.
    const { touched, structural } = this.changedInTransaction();
    const list = (structural ? undefined : this.list) ?? cellsOf(this.doc).toArray().map((cell) => ({ cell, type: cellTypeOf(cell) }));
    if (!structural) this.list = list;
    const out: CodeCell[] = [];
    list.forEach(({ cell, type }, i) => {
      if (type !== 'code') return;
      let snapshot = touched.has(cell) ? undefined : this.snapshots.get(cell);
      if (!snapshot) {
        snapshot = readCell(cell, i + 1);
        if (!touched.has(cell)) this.snapshots.set(cell, snapshot);
      } else if (snapshot.index !== i + 1) {
        snapshot = { ...snapshot, index: i + 1 };
        this.snapshots.set(cell, snapshot);
      }
      out.push(snapshot);
    });
    return out;
  }

  private changedInTransaction(): { touched: Set<YCell>; structural: boolean } {
    const touched = new Set<YCell>();
    const transaction = this.doc._transaction;
    if (!transaction) return { touched, structural: false };
    const cells = cellsOf(this.doc);
    let structural = false;
    for (const type of transaction.changed.keys()) {
      if (type === cells) { structural = true; continue; }
      let node = type as Y.AbstractType<unknown> | null;
      while (node && node.parent !== cells) node = node.parent as Y.AbstractType<unknown> | null;
      if (node) touched.add(node as YCell);
    }
    return { touched, structural };
  }
}

function readCell(cell: YCell, index: number): CodeCell {
  const record = parseRunRecord(cellMetadataOf(cell).get(EXECUTION_METADATA));
  return { id: cellIdOf(cell), index, source: sourceOf(cell).toString(), record, start: record && runStartOf(record) };
}

const snapshotsByDoc = new WeakMap<Y.Doc, CellSnapshots>();

/** The notebook's code cells with what the marks need. */
function codeCells(doc: Y.Doc): CodeCell[] {
  let snapshots = snapshotsByDoc.get(doc);
  if (!snapshots) snapshotsByDoc.set(doc, snapshots = new CellSnapshots(doc));
  return snapshots.codeCells();
}

/** For each name, the code cells (positions in `cells`) that provide it. */
function providersByName(cells: CodeCell[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  cells.forEach((cell, i) => {
    for (const name of analyse(cell.source).provides) {
      let list = map.get(name);
      if (!list) map.set(name, list = []);
      list.push(i);
    }
  });
  return map;
}

/**
 * Where each name cell `at` uses came from: the other cell providing it whose
 * run (in `session`, when given) began last, before `before` when given.
 */
function inputsOf(cells: CodeCell[], at: number, providers: Map<string, number[]>, session: string | undefined, before?: number, source = cells[at].source): RunInput[] {
  const byCell = new Map<number, string[]>();
  for (const name of analyse(source).names.uses) {
    let best = -1;
    for (const j of providers.get(name) ?? []) {
      const other = cells[j];
      if (j === at || other.start === undefined) continue;
      if (session !== undefined && other.record?.session !== session) continue;
      if (before !== undefined && other.start >= before) continue;
      if (best < 0 || other.start > cells[best].start!) best = j;
    }
    if (best >= 0) {
      const names = byCell.get(best) ?? [];
      names.push(name);
      byCell.set(best, names);
    }
  }
  return [...byCell.entries()].sort((a, b) => a[0] - b[0]).map(([j, names]) => ({ cellId: cells[j].id, names }));
}

/**
 * What to store as `cellmate.inputs` when a cell runs now: for each name its
 * source (as it ran) uses, the cell that last gave it a value on the current
 * kernel session. Empty for non-Python notebooks and for a cell not in the document.
 */
export function runInputsOf(doc: Y.Doc, cellId: string, source?: string): RunInput[] {
  if (notebookLanguageOf(doc) !== 'python') return [];
  const cells = codeCells(doc);
  const at = cells.findIndex((c) => c.id === cellId);
  if (at < 0) return [];
  return inputsOf(cells, at, providersByName(cells), kernelSessionOf(doc), undefined, source);
}

/** The stale marks of every code cell of the document. */
export function staleMarks(doc: Y.Doc): StaleMarks {
  const session = kernelSessionOf(doc);
  const python = notebookLanguageOf(doc) === 'python';
  const cells = codeCells(doc);
  const providers = python ? providersByName(cells) : new Map<string, number[]>();
  const positionById = new Map(cells.map((c, i) => [c.id, i]));
  const edited = cells.map((c) => c.record?.sourceSha256 !== undefined && c.record.sourceSha256 !== hashOf(c.source));

  // Out of order: a cell below, on the same session, began before this one.
  const outOfOrder = new Array<boolean>(cells.length).fill(false);
  if (python) {
    const earliestBelow = new Map<string | undefined, number>();
    for (let i = cells.length - 1; i >= 0; i--) {
      const { start, record } = cells[i];
      if (start === undefined) continue;
      const below = earliestBelow.get(record?.session);
      if (below !== undefined && below < start) outOfOrder[i] = true;
      if (below === undefined || start < below) earliestBelow.set(record?.session, start);
    }
  }

  const marks: CellMark[] = cells.map((cell, i) => {
    const reasons: StaleReason[] = [];
    const { record, start } = cell;
    if (!record) return { cellId: cell.id, index: cell.index, state: 'not-run', reasons };
    if (edited[i]) reasons.push({ kind: 'edited' });
    if (session !== undefined && record.session !== session) reasons.push({ kind: 'session' });
    if (python && start !== undefined) {
      const reported = new Set<string>();
      const inputs = record.inputs ?? inputsOf(cells, i, providers, record.session, start);
      for (const input of inputs) {
        const j = positionById.get(input.cellId);
        reported.add(input.cellId);
        if (j === undefined) {
          reasons.push({ kind: 'depends', cellId: input.cellId, names: input.names, change: 'deleted' });
          continue;
        }
        const provider = cells[j];
        const change = provider.start !== undefined && provider.start > start ? 're-run' : edited[j] ? 'edited' : undefined;
        if (change) reasons.push({ kind: 'depends', cellId: provider.id, index: provider.index, names: input.names, change });
      }
      // A cell above that gives a used name a value and ran after this one.
      const later = new Map<number, string[]>();
      for (const name of analyse(cell.source).names.uses) {
        for (const j of providers.get(name) ?? []) {
          if (j >= i) break;
          const other = cells[j];
          if (other.start !== undefined && other.start > start && !reported.has(other.id)) {
            later.set(j, [...(later.get(j) ?? []), name]);
          }
        }
      }
      for (const [j, names] of [...later.entries()].sort((a, b) => a[0] - b[0])) {
        reasons.push({ kind: 'depends', cellId: cells[j].id, index: cells[j].index, names, change: 're-run' });
      }
      if (outOfOrder[i]) reasons.push({ kind: 'out-of-order' });
    }
    return { cellId: cell.id, index: cell.index, state: reasons.length ? 'stale' : 'fresh', reasons };
  });
  return { cells: marks, byId: new Map(marks.map((m) => [m.cellId, m])), dependencyAnalysis: python, session };
}

/**
 * The cells "Run stale cells" runs, in notebook order: every stale cell, and
 * every cell that has run and reads a name one of those (or one added before it)
 * gives a value to. Without dependency analysis (non-Python): the stale cells.
 */
export function cellsToRunForStale(doc: Y.Doc): string[] {
  const marks = staleMarks(doc);
  const sources = codeCells(doc).map((c) => c.source);
  const dirty = new Set<string>();
  const out: string[] = [];
  for (const [i, mark] of marks.cells.entries()) {
    const cell = mark.state === 'not-run' ? undefined : analyse(sources[i]);
    const reads = cell !== undefined && marks.dependencyAnalysis && cell.names.uses.some((n) => dirty.has(n));
    if (mark.state !== 'stale' && !reads) continue;
    out.push(mark.cellId);
    if (cell && marks.dependencyAnalysis) for (const name of cell.provides) dirty.add(name);
  }
  return out;
}
