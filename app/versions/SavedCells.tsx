// A saved notebook drawn read-only from its JSON: rendered markdown, code with
// its execution count, and outputs through the editor's own renderers, with
// kernel HTML sanitized into the page (no frame that only a script could size),
// so every output shows completely. No hooks of its own: it renders completely
// on the server, and the content needs no JavaScript. The cells a failed fresh
// run never reached carry the "not run in this version" mark.
import type { JSX } from 'react';
import type { CellJSON, NotebookJSON } from '../../notebook-model/nbformat/types';
import { Markdown } from '../render/Markdown';
import { OutputList } from '../render/OutputView';
import { NotRunMark } from './CellDiffView';

export function SavedCell(props: { cell: CellJSON; notRun?: boolean }): JSX.Element {
  const { cell, notRun } = props;
  if (cell.cell_type === 'markdown') {
    return (
      <section className="saved-cell saved-markdown" data-testid="saved-cell" data-cell-type="markdown">
        <Markdown source={cell.source} attachments={cell.attachments as never} />
      </section>
    );
  }
  if (cell.cell_type === 'raw') {
    return (
      <section className="saved-cell saved-raw" data-testid="saved-cell" data-cell-type="raw">
        <pre className="saved-source">{cell.source}</pre>
      </section>
    );
  }
  return (
    <section className="saved-cell saved-code" data-testid="saved-cell" data-cell-type="code" data-not-run={notRun || undefined}>
      {notRun && <NotRunMark />}
      <div className="saved-input">
        <span className="saved-prompt" aria-label="execution count">[{cell.execution_count ?? ' '}]</span>
        <pre className="saved-source"><code className="language-python">{cell.source}</code></pre>
      </div>
      {cell.outputs.length > 0 && <OutputList outputs={cell.outputs} />}
    </section>
  );
}

export function SavedCells(props: { notebook: NotebookJSON; notRun?: ReadonlySet<string> }): JSX.Element {
  return (
    <div className="saved-cells" data-testid="saved-cells">
      {props.notebook.cells.map((cell, index) => (
        <SavedCell key={cell.id || index} cell={cell} notRun={props.notRun?.has(cell.id)} />
      ))}
    </div>
  );
}
