'use client';
// A cell's comments, in its margin: a marker with the number of open threads
// (it opens them under the cell), and for those who may comment a button that
// starts a thread on what is selected in the cell — text of its source, a line
// of an output — or, with nothing selected, on the whole cell.
import { useState, useSyncExternalStore, type JSX, type MouseEvent } from 'react';
import { EditorView } from '@codemirror/view';
import type { YCell } from '../../notebook-model';
import { cellAnchor, outputAnchor, sourceAnchor } from '../../notebook-model/comment-anchors';
import type { CommentAnchor } from '../../notebook-model/comments';
import { useObservableValue } from '../hooks/observable-value';
import { CommentForm } from './CommentForm';
import type { CommentsUi } from './comment-threads';
import { ThreadCard } from './ThreadCard';

export function CellComments(props: { cellId: string; cell: YCell; ui: CommentsUi }): JSX.Element | null {
  const { cellId, cell, ui } = props;
  const snapshot = useSyncExternalStore(ui.threads.subscribe, () => ui.threads.forCell(cellId), () => ui.threads.forCell(cellId));
  useObservableValue(ui.readMarks, ui.readMarks.value);
  const opened = useSyncExternalStore(ui.opened.subscribe, () => ui.opened.value, () => null);
  const [draft, setDraft] = useState<CommentAnchor | null>(null);
  const { threads } = snapshot;
  const open = threads.filter((t) => !t.resolved);
  const isOpen = opened?.cellId === cellId;
  const unread = ui.readMarks.unreadIn(threads);
  if (!threads.length && !ui.canComment) return null;

  // Read the selection before the click can move it (preventDefault keeps it).
  const startThread = (event: MouseEvent<HTMLButtonElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const element = event.currentTarget.closest<HTMLElement>('[data-testid="cell"]');
    setDraft(element ? anchorFromSelection(element, cell) : cellAnchor(cell));
    ui.opened.open(cellId, null);
  };
  const toggle = (event: MouseEvent) => {
    event.stopPropagation();
    if (isOpen) { ui.opened.close(); setDraft(null); } else ui.opened.open(cellId, null);
  };
  const shown = opened?.threadId ? threads.filter((t) => t.id === opened.threadId) : threads;

  return (
    <>
      <div className="cell-comment-margin" onMouseDown={(e) => e.stopPropagation()}>
        {threads.length > 0 && (
          <button
            type="button" className={unread ? 'comment-marker unread' : 'comment-marker'} data-testid="comment-marker"
            data-count={open.length} data-unread={unread} aria-expanded={isOpen} title={`${open.length} open comment thread(s)`} onClick={toggle}
          >
            <SpeechBubble /> {open.length}
          </button>
        )}
        {ui.canComment && (
          <button type="button" className="add-comment" data-testid="add-comment" title="Comment on the selection (or the whole cell)" onMouseDown={startThread}>
            +<SpeechBubble />
          </button>
        )}
      </div>
      {isOpen && (
        <div className="cell-comments" data-testid="cell-comments" onMouseDown={(e) => e.stopPropagation()}>
          {draft && (
            <div className="comment-draft" data-testid="comment-draft" data-anchor-kind={draft.kind}>
              {draft.quote && <q>{draft.quote}</q>}
              <CommentForm
                ui={ui} submitLabel="Comment" testId="new-comment" autoFocus
                onSubmit={(body) => { const id = ui.start(draft, body); setDraft(null); ui.opened.open(cellId, id); }}
                onCancel={() => setDraft(null)}
              />
            </div>
          )}
          {shown.map((thread) => <ThreadCard key={thread.id} thread={thread} anchor={snapshot.anchors.get(thread.id)} ui={ui} />)}
          {opened?.threadId && threads.length > shown.length && (
            <button type="button" className="link-button" onClick={() => ui.opened.open(cellId, null)}>All {threads.length} threads on this cell</button>
          )}
          <button type="button" className="link-button" data-testid="close-comments" onClick={() => { ui.opened.close(); setDraft(null); }}>Close</button>
        </div>
      )}
    </>
  );
}

/** The anchor for what is selected inside `element` (a cell): source text, an output line, or the whole cell. */
function anchorFromSelection(element: HTMLElement, cell: YCell): CommentAnchor {
  const editor = element.querySelector<HTMLElement>('.cm-editor');
  const view = editor ? EditorView.findFromDOM(editor) : null;
  const selection = window.getSelection();
  if (view) {
    let { from, to } = view.state.selection.main;
    // A read-only editor does not take the selection into its state: read the page's.
    if (from === to && selection && !selection.isCollapsed && view.contentDOM.contains(selection.anchorNode) && view.contentDOM.contains(selection.focusNode)) {
      const a = view.posAtDOM(selection.anchorNode!, selection.anchorOffset);
      const b = view.posAtDOM(selection.focusNode!, selection.focusOffset);
      [from, to] = [Math.min(a, b), Math.max(a, b)];
    }
    // A line selected by a triple click ends after its newline: the line is what was meant.
    while (to > from && view.state.doc.sliceString(to - 1, to) === '\n') to--;
    if (from < to) return sourceAnchor(cell, from, to);
  }
  if (selection && !selection.isCollapsed && selection.anchorNode) {
    const output = (selection.anchorNode instanceof Element ? selection.anchorNode : selection.anchorNode.parentElement)?.closest<HTMLElement>('[data-testid="output"]');
    if (output && element.contains(output)) {
      const outputs = [...element.querySelectorAll('[data-testid="output"]')];
      const before = document.createRange();
      before.setStart(output, 0);
      before.setEnd(selection.anchorNode, selection.anchorOffset);
      const line = before.toString().split('\n').length - 1;
      const lineText = (output.textContent ?? '').split('\n')[line] ?? selection.toString();
      return outputAnchor(cell, outputs.indexOf(output), line, lineText);
    }
  }
  return cellAnchor(cell);
}

/** The comment mark, drawn rather than an emoji so it looks the same whatever fonts the machine has. */
function SpeechBubble(): JSX.Element {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" style={{ verticalAlign: '-2px' }}>
      <path d="M2 2.5h12v8.5H7l-3.5 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
    </svg>
  );
}
