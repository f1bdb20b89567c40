// `nb cells <id>`: each cell of a stored notebook with its stale mark, one line
// each (index, id, type, execution count, state), or the same as JSON, so a
// script or CI can check a notebook before publishing. The marks are the
// editor's (notebook-model/stale-marks.ts), computed from the stored document.
import * as Y from 'yjs';
import { openStorage } from '../../storage';
import { loadNotebookDoc } from '../../library/notebook-library';
import { cellIdOf, cellsOf, cellTypeOf, executionCountOf } from '../../notebook-model';
import { describeReason, staleMarks, type CellMark, type StaleReason } from '../../notebook-model/stale-marks';
import { parseOptions, UsageError, type Command } from './command';

const usage = 'usage: nb cells <notebook-id> [--json] [--check]\n  --check  exit with status 2 when any cell is stale';

export interface CellLine {
  /** 1-based position in the notebook. */
  index: number;
  id: string;
  type: string;
  executionCount: number | null;
  /** `-` for markdown and raw cells. */
  state: CellMark['state'] | '-';
  reasons: (StaleReason & { text: string })[];
}

/** The lines `nb cells` prints, from a notebook document. */
export function cellLines(doc: Y.Doc): { dependencyAnalysis: boolean; cells: CellLine[] } {
  const marks = staleMarks(doc);
  const cells = cellsOf(doc).toArray().map((cell, i): CellLine => {
    const type = cellTypeOf(cell);
    const mark = type === 'code' ? marks.byId.get(cellIdOf(cell)) : undefined;
    return {
      index: i + 1,
      id: cellIdOf(cell),
      type,
      executionCount: type === 'code' ? executionCountOf(cell) : null,
      state: mark?.state ?? '-',
      reasons: (mark?.reasons ?? []).map((r) => ({ ...r, text: describeReason(r) })),
    };
  });
  return { dependencyAnalysis: marks.dependencyAnalysis, cells };
}

function formatLine(line: CellLine): string {
  const state = line.state === 'stale' ? `stale (${line.reasons.map((r) => r.text).join('; ')})`
    : line.state === 'not-run' ? 'not run' : line.state;
  return [line.index, line.id, line.type, line.executionCount ?? '-', state].join('\t');
}

export const cellsCommand: Command = {
  summary: 'list a notebook\'s cells, each fresh or stale (with why)',
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, check: { type: 'boolean' } }, usage);
    if (values.help) return console.log(usage), 0;
    const [id] = positionals;
    if (!id || positionals.length > 1) throw new UsageError(usage);
    const storage = await openStorage();
    try {
      if (!await storage.notebooks.get(id)) {
        console.error(`nb: no notebook with id "${id}"`);
        return 1;
      }
      const doc = await loadNotebookDoc(storage, id);
      try {
        const result = cellLines(doc);
        if (values.json) console.log(JSON.stringify({ notebookId: id, ...result }, null, 2));
        else {
          for (const line of result.cells) console.log(formatLine(line));
          if (!result.dependencyAnalysis) console.error('nb: not a Python notebook: only edits and kernel restarts are checked, not what cells read from each other');
        }
        return values.check && result.cells.some((c) => c.state === 'stale') ? 2 : 0;
      } finally {
        doc.destroy();
      }
    } finally {
      await storage.close();
    }
  },
};
