'use client';
// One cell. It subscribes to its own Y.Map (type, execution count and state)
// and to the selection only through `modeOf(its id)`, so typing elsewhere or
// selecting another cell never re-renders it. Everything costly is built
// lazily: until the cell comes near the viewport (or is edited) a plain <pre>
// of its source stands in for the CodeMirror editor and for rendered markdown,
// and outputs wait, which keeps a 2,000-cell notebook quick to open.
import { memo, useEffect, useRef, useSyncExternalStore, type JSX, type MouseEvent } from 'react';
import {
  CellKey, cellIdOf, cellTypeOf, executionCountOf, executionStateOf, outputsOf, sourceOf, type YCell,
} from '../../notebook-model';
import { CellComments } from '../comments/CellComments';
import { CellRunState } from '../kernel/CellRunState';
import { CellStaleMark } from '../stale/CellStaleMark';
import { StdinPrompt } from '../kernel/StdinPrompt';
import { Markdown } from '../render/Markdown';
import type { CellAttachments } from '../../notebook-model/render/markdown-to-html';
import { Foldable, useFolded } from './CellFold';
import { CELL_DRAG_TYPE } from './cell-drag';
import { CellOutputs } from './CellOutputs';
import { CodeEditor, type EditorLanguage } from './CodeEditor';
import { useNearViewport } from './near-viewport';
import { coveredTop } from './sticky-top';
import type { NotebookContext } from './notebook-context';
import { useYMapKeys, useYText } from './y-hooks';

const watchedKeys = [CellKey.cellType, CellKey.executionCount, CellKey.executionState, CellKey.attachments];

export const CellView = memo(function CellView(props: { cell: YCell; context: NotebookContext }): JSX.Element {
  const { cell, context } = props;
  const { selection, session } = context;
  useYMapKeys(cell, watchedKeys);
  const id = cellIdOf(cell);
  const type = cellTypeOf(cell);
  const mode = useSyncExternalStore(selection.subscribe, () => selection.modeOf(id), () => null);
  const inRange = useSyncExternalStore(selection.subscribe, () => selection.inRange(id), () => false);
  const root = useRef<HTMLDivElement>(null);
  const near = useNearViewport(root);

  // Command mode keeps the keyboard focus on the selected cell itself.
  useEffect(() => {
    if (mode === null) return;
    session.setCurrentCell(id, mode === 'edit');
    const element = root.current;
    if (!element) return;
    if (mode === 'command' && !element.contains(document.activeElement)) element.focus({ preventScroll: true });
    if (mode === 'command' && element.querySelector('.cm-focused')) element.focus({ preventScroll: true });
    scrollIntoViewIfNeeded(element);
  }, [mode, id, session]);

  const onMouseDown = (event: MouseEvent) => {
    const target = event.target as Element;
    // A viewer's editor takes no focus: a click into it selects the cell, as a click beside it does.
    if (context.readOnly && target.closest('.cm-editor') && mode === null) return selection.select(id, 'command');
    if (target.closest('.cm-editor, a, button, select, input, iframe')) return;
    if (event.shiftKey) selection.extendTo(id);
    else if (mode === null || selection.range.length > 1) selection.select(id, 'command'); // a plain click collapses a range
  };
  const onDoubleClick = () => {
    if (type !== 'markdown') return;
    if (context.readOnly) context.refusals.refuse('type');
    else selection.select(id, 'edit');
  };

  const editing = mode === 'edit';
  const language: EditorLanguage = type === 'code' ? context.codeLanguage : type === 'markdown' ? 'markdown' : 'plain';
  const text = sourceOf(cell);
  const showEditor = type === 'markdown' ? editing : near || editing;
  const inputCollapsed = useFolded(context.view, id, 'input') && !editing;
  const toggleInput = () => context.commands.toggleView('input', [id]);

  return (
    <div
      ref={root}
      className={near || editing ? 'cell' : 'cell far'}
      tabIndex={-1}
      data-testid="cell"
      data-cell-id={id}
      data-cell-type={type}
      data-mode={mode ?? undefined}
      data-selected={inRange ? 'true' : undefined}
      onMouseDown={onMouseDown}
      onDoubleClick={onDoubleClick}
    >
      {!context.readOnly && (near || editing) && (
        <div
          className="cell-drag-handle"
          data-testid="cell-drag-handle"
          title="Drag to move this cell"
          draggable
          onDragStart={(event) => {
            event.dataTransfer.setData(CELL_DRAG_TYPE, id);
            event.dataTransfer.effectAllowed = 'move';
          }}
        />
      )}
      <div className="cell-prompt" data-testid="cell-prompt" aria-hidden={type !== 'code'}>
        {type === 'code' ? promptOf(cell) : ''}
      </div>
      <div className="cell-body">
        <div className="cell-input">
        <Foldable
          label="the input"
          folded={inputCollapsed}
          onToggle={toggleInput}
          standIn={() => firstLineOf(text.toString()) || `${type} cell`}
          testIds={{ bar: 'input-collapser', standIn: 'input-collapsed' }}
        >
        {showEditor ? (
          <CodeEditor
            key={language}
            cellId={id}
            text={text}
            language={language}
            session={session}
            selection={selection}
            commands={context.commands}
            keys={context.keys}
            cursors={context.cursors}
            focused={editing}
            readOnly={context.readOnly}
            placeholder={type === 'markdown' ? 'Markdown: Shift+Enter to render' : undefined}
            extensions={type === 'code' ? context.kernel?.codeEditorExtensions : undefined}
            preferences={context.preferences}
            find={context.find}
          />
        ) : type === 'markdown' ? (
          near
            ? <RenderedMarkdown text={text} attachments={cell.get(CellKey.attachments) as CellAttachments | undefined} />
            : <SourcePreview text={text} className="markdown-pending" />
        ) : (
          <SourcePreview text={text} />
        )}
        </Foldable>
        </div>
        {type === 'code' && near && <CellStaleMark cell={cell} cellId={id} />}
        {type === 'code' && context.kernel && <CellRunState cellId={id} kernel={context.kernel} />}
        {type === 'code' && near && <CellOutputs cellId={id} outputs={outputsOf(cell)} context={context} />}
        {type === 'code' && context.kernel && (
          <StdinPrompt cellId={id} kernel={context.kernel} onActivate={() => selection.select(id, 'command')} />
        )}
      </div>
      {context.comments && <CellComments cellId={id} cell={cell} ui={context.comments} />}
      {mode !== null && !context.readOnly && <CellActions context={context} />}
    </div>
  );
});

/** Buttons on the selected cell (the toolbar has the full set). */
function CellActions(props: { context: NotebookContext }): JSX.Element {
  const { commands } = props.context;
  // Keep the editor focused while clicking, so the buttons act on the cell as it is.
  const keepFocus = (e: MouseEvent) => e.preventDefault();
  return (
    <div className="cell-actions" onMouseDown={keepFocus}>
      <button type="button" title="Move up" data-testid="cell-action-move-up" onClick={() => commands.run('moveUp')}>↑</button>
      <button type="button" title="Move down" data-testid="cell-action-move-down" onClick={() => commands.run('moveDown')}>↓</button>
      <button type="button" title="Insert below" data-testid="cell-action-add-below" onClick={() => commands.insert('below')}>+</button>
      <button type="button" title="Delete" data-testid="cell-action-delete" onClick={() => commands.run('deleteCell')}>✕</button>
    </div>
  );
}

function firstLineOf(source: string): string {
  const line = source.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

function promptOf(cell: YCell): string {
  const state = executionStateOf(cell);
  if (state === 'running' || state === 'queued') return '[*]:';
  const count = executionCountOf(cell);
  return `[${count ?? ' '}]:`;
}

function RenderedMarkdown(props: { text: import('yjs').Text; attachments?: CellAttachments }): JSX.Element {
  const source = useYText(props.text);
  return (
    <div className="markdown-cell" data-testid="markdown-rendered" title="Double-click to edit">
      {source.trim() === '' ? <p className="markdown-empty">Empty markdown cell — double-click to edit</p> : (
        <Markdown source={source} attachments={props.attachments} />
      )}
    </div>
  );
}

/** The source as plain text, live, until the real editor (or rendered markdown) is built. */
function SourcePreview(props: { text: import('yjs').Text; className?: string }): JSX.Element {
  const source = useYText(props.text);
  return <pre className={`source-preview ${props.className ?? ''}`} data-testid="source-preview">{source === '' ? ' ' : source}</pre>;
}

function scrollIntoViewIfNeeded(element: HTMLElement): void {
  const rect = element.getBoundingClientRect();
  const top = coveredTop();
  if (rect.top < top) window.scrollBy(0, rect.top - top);
  else if (rect.top > window.innerHeight - 40) window.scrollBy(0, Math.min(rect.top - top, rect.bottom - window.innerHeight));
}
