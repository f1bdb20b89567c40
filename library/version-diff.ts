// Two notebooks compared cell by cell, for the diff view. Cells are matched by
// their nbformat id (stable in Cellmate's documents: editing a cell keeps its
// id). A matched cell is "moved" when it is not on the longest run of matched
// cells that kept their order, "changed" when its type, source or outputs
// differ; unmatched cells are "added" or "removed". Sources get a line diff.
import type { CellJSON, NotebookJSON, OutputJSON } from '../notebook-model/nbformat/types';
import { outputsDiffer } from './output-comparison';

export type LineChange = { kind: 'same' | 'added' | 'removed'; text: string };

export interface CellDiff {
  kind: 'added' | 'removed' | 'unchanged' | 'changed';
  /** Also set for a changed or unchanged cell that changed place. */
  moved: boolean;
  id: string;
  before: CellJSON | null;
  after: CellJSON | null;
  sourceChanged: boolean;
  outputsChanged: boolean;
  /** The source's line diff (only where the source changed). */
  lines: LineChange[] | null;
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/** Longest common subsequence table walk: the classic line diff, fine for cell-sized texts. */
export function diffLines(before: string, after: string): LineChange[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({ kind: 'removed', text: a[i++] });
    } else {
      out.push({ kind: 'added', text: b[j++] });
    }
  }
  while (i < n) out.push({ kind: 'removed', text: a[i++] });
  while (j < m) out.push({ kind: 'added', text: b[j++] });
  return out;
}

/** Indexes (into `sequence`) of one longest strictly increasing subsequence. */
function longestIncreasing(sequence: number[]): Set<number> {
  const length: number[] = [];
  const previous: number[] = [];
  let bestEnd = -1;
  for (let i = 0; i < sequence.length; i++) {
    length[i] = 1;
    previous[i] = -1;
    for (let j = 0; j < i; j++) {
      if (sequence[j] < sequence[i] && length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        previous[i] = j;
      }
    }
    if (bestEnd < 0 || length[i] > length[bestEnd]) bestEnd = i;
  }
  const kept = new Set<number>();
  for (let i = bestEnd; i >= 0; i = previous[i]) kept.add(i);
  return kept;
}

const outputsOf = (cell: CellJSON): OutputJSON[] => (cell.cell_type === 'code' ? cell.outputs : []);

/** The cells of `after` in order, with the removed cells of `before` placed after their last kept predecessor. */
export function diffNotebooks(before: NotebookJSON, after: NotebookJSON): CellDiff[] {
  const beforeIndex = new Map(before.cells.map((cell, index) => [cell.id, index]));
  const afterIds = new Set(after.cells.map((cell) => cell.id));
  const matched = after.cells.filter((cell) => beforeIndex.has(cell.id));
  const inOrder = longestIncreasing(matched.map((cell) => beforeIndex.get(cell.id)!));
  const stayed = new Set(matched.filter((_, i) => inOrder.has(i)).map((cell) => cell.id));

  const entryFor = (cell: CellJSON): CellDiff => {
    const old = before.cells[beforeIndex.get(cell.id)!];
    const sourceChanged = old.source !== cell.source || old.cell_type !== cell.cell_type;
    const outputsChanged = outputsDiffer(outputsOf(old), outputsOf(cell), { richData: true });
    return {
      kind: sourceChanged || outputsChanged ? 'changed' : 'unchanged',
      moved: !stayed.has(cell.id),
      id: cell.id, before: old, after: cell, sourceChanged, outputsChanged,
      lines: sourceChanged ? diffLines(old.source, cell.source) : null,
    };
  };
  const removed = (cell: CellJSON): CellDiff => ({
    kind: 'removed', moved: false, id: cell.id, before: cell, after: null, sourceChanged: true, outputsChanged: outputsOf(cell).length > 0,
    lines: diffLines(cell.source, ''),
  });

  // Removed cells go right after the nearest earlier cell of `before` that stayed in place.
  const removedAfter = new Map<string | null, CellJSON[]>();
  let anchor: string | null = null;
  for (const cell of before.cells) {
    if (!afterIds.has(cell.id)) {
      const list = removedAfter.get(anchor) ?? [];
      list.push(cell);
      removedAfter.set(anchor, list);
    } else if (stayed.has(cell.id)) {
      anchor = cell.id;
    }
  }

  const result: CellDiff[] = (removedAfter.get(null) ?? []).map(removed);
  for (const cell of after.cells) {
    if (!beforeIndex.has(cell.id)) {
      result.push({
        kind: 'added', moved: false, id: cell.id, before: null, after: cell, sourceChanged: true, outputsChanged: outputsOf(cell).length > 0,
        lines: diffLines('', cell.source),
      });
    } else {
      result.push(entryFor(cell));
    }
    if (stayed.has(cell.id)) result.push(...(removedAfter.get(cell.id) ?? []).map(removed));
  }
  return result;
}

/** Counts for a summary line. */
export function diffSummary(diff: CellDiff[]): { added: number; removed: number; changed: number; moved: number } {
  return {
    added: diff.filter((d) => d.kind === 'added').length,
    removed: diff.filter((d) => d.kind === 'removed').length,
    changed: diff.filter((d) => d.kind === 'changed').length,
    moved: diff.filter((d) => d.moved).length,
  };
}

/** A stretch of the comparison as the page shows it: one cell that changed, or a run of unchanged ones. */
export type DiffSection = { kind: 'cell'; diff: CellDiff } | { kind: 'unchanged'; diffs: CellDiff[] };

/** Runs shorter than this stay open: folding one or two cells hides more than it saves. */
export const MIN_FOLDED_RUN = 3;

/**
 * The comparison with each run of MIN_FOLDED_RUN or more unchanged cells (in
 * place) gathered into one section, which the page shows folded ("12
 * unchanged cells"), as nbdime and GitHub do; what changed stays in view.
 */
export function foldUnchanged(diff: CellDiff[]): DiffSection[] {
  const sections: DiffSection[] = [];
  let run: CellDiff[] = [];
  const endRun = () => {
    if (run.length >= MIN_FOLDED_RUN) sections.push({ kind: 'unchanged', diffs: run });
    else sections.push(...run.map((d): DiffSection => ({ kind: 'cell', diff: d })));
    run = [];
  };
  for (const entry of diff) {
    if (entry.kind === 'unchanged' && !entry.moved) {
      run.push(entry);
      continue;
    }
    endRun();
    sections.push({ kind: 'cell', diff: entry });
  }
  endRun();
  return sections;
}
