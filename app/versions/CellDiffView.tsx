// One cell of a version comparison: what happened to it, its source as a line
// diff, and its outputs drawn as outputs (before beside after) with the
// editor's renderers. A cell a failed fresh run never reached is marked "not
// run in this version" (its outputs are the live notebook's, not the run's).
import type { JSX } from 'react';
import type { CellJSON, OutputJSON } from '../../notebook-model/nbformat/types';
import type { CellDiff } from '../../library/version-diff';
import { OutputList } from '../render/OutputView';

const outputsOf = (cell: CellJSON | null): OutputJSON[] => (cell?.cell_type === 'code' ? cell.outputs : []);

function label(diff: CellDiff): string {
  const kind = { added: 'Added', removed: 'Removed', changed: 'Changed', unchanged: 'Unchanged' }[diff.kind];
  return diff.moved ? `${kind} · moved` : kind;
}

/** The mark of a cell a failed fresh run stopped before. */
export function NotRunMark(): JSX.Element {
  return (
    <span className="not-run-mark" data-testid="not-run-mark" title="The run stopped on an error before this cell: its outputs are the ones the live notebook had, not this run's">
      not run in this version
    </span>
  );
}

export function CellDiffView(props: { diff: CellDiff; notRun?: boolean }): JSX.Element {
  const { diff, notRun } = props;
  const cell = diff.after ?? diff.before!;
  return (
    <section className={`cell-diff cell-diff-${diff.kind}${diff.moved ? ' cell-diff-moved' : ''}`} data-testid="cell-diff" data-kind={diff.kind} data-moved={diff.moved} data-cell-id={diff.id}>
      <header className="cell-diff-label">
        {label(diff)} <span className="cell-diff-type">{cell.cell_type}</span>
        {notRun && <> <NotRunMark /></>}
      </header>
      {diff.lines ? (
        <pre className="cell-diff-source" data-testid="line-diff">
          {diff.lines.map((line, i) => (
            <div key={i} className={`diff-line diff-${line.kind}`}>{line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}{line.text}</div>
          ))}
        </pre>
      ) : (
        <pre className="cell-diff-source">{cell.source}</pre>
      )}
      {diff.outputsChanged && diff.before && diff.after ? (
        <div className="cell-diff-outputs" data-testid="outputs-side-by-side">
          <div><div className="cell-diff-side">Before</div><OutputList outputs={outputsOf(diff.before)} /></div>
          <div><div className="cell-diff-side">After</div><OutputList outputs={outputsOf(diff.after)} /></div>
        </div>
      ) : (
        outputsOf(cell).length > 0 && <OutputList outputs={outputsOf(cell)} />
      )}
    </section>
  );
}
