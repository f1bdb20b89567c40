'use client';
// The notebook's find and replace bar (Ctrl+Shift+F or the toolbar's Find):
// matches in every cell's source, and optionally in outputs (found, never
// replaced); previous/next select the matching cell and mark the match in its
// editor; Replace and Replace all are Yjs edits with this person's origin
// (notebook-find.ts), so collaborators see them and their own typing survives.
// The matches follow the document live, collaborators' edits included.
import { useEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { cellsOf } from '../../notebook-model';
import { useYDeepFrameVersion } from './y-hooks';
import type { NotebookContext } from './notebook-context';
import { findMatches, replaceAll, replaceMatch, type FindMatch, type FindQuery } from './notebook-find';
import { coveredTop } from './sticky-top';

export function FindBar(props: { context: NotebookContext }): JSX.Element {
  const { session, panels, find, selection, readOnly } = props.context;
  const [text, setText] = useState('');
  const [replacement, setReplacement] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [inOutputs, setInOutputs] = useState(false);
  const [current, setCurrent] = useState(0);
  const [replaced, setReplaced] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const query: FindQuery = useMemo(() => ({ text, caseSensitive, inOutputs }), [text, caseSensitive, inOutputs]);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  // Any change to the notebook (ours or a collaborator's) recounts, once per frame at most.
  const version = useYDeepFrameVersion(cellsOf(session.doc));

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` says the document changed
  const matches = useMemo(() => findMatches(session.doc, query), [session, query, version]);
  const index = matches.length === 0 ? -1 : Math.min(current, matches.length - 1);
  const match: FindMatch | null = index < 0 ? null : matches[index];

  useEffect(() => {
    find.show(text === '' ? null : query, match);
  }, [find, query, text, match]);
  useEffect(() => () => find.show(null, null), [find]);

  const reveal = (target: FindMatch | null) => {
    if (!target) return;
    selection.select(target.cellId, 'command');
    const element = document.querySelector(`[data-testid="cell"][data-cell-id="${CSS.escape(target.cellId)}"]`);
    if (element) {
      const rect = element.getBoundingClientRect();
      if (rect.top < coveredTop() || rect.bottom > window.innerHeight) window.scrollBy(0, rect.top - coveredTop() - 40);
    }
  };
  const go = (step: 1 | -1) => {
    if (matches.length === 0) return;
    const next = (index + step + matches.length) % matches.length;
    setCurrent(next);
    reveal(matches[next]);
    // Selecting the cell gives it the focus; the find field takes it back, so Enter goes on finding.
    setTimeout(() => input.current?.focus(), 0);
  };
  const replaceOne = () => {
    if (readOnly || !match) return;
    // An output match cannot be replaced: move on to the next source match.
    const target = match.part === 'source' ? match : matches.slice(index).find((m) => m.part === 'source');
    if (!target) return;
    session.undoManager.stopCapturing();
    if (replaceMatch(session.doc, target, query, replacement, session.localOrigin)) setReplaced(1);
    session.undoManager.stopCapturing();
  };
  const replaceEverything = () => {
    if (readOnly || text === '') return;
    session.undoManager.stopCapturing();
    setReplaced(replaceAll(session.doc, query, replacement, session.localOrigin));
    session.undoManager.stopCapturing();
  };
  const close = () => {
    panels.close('find');
    if (selection.selected) selection.select(selection.selected, 'command');
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter' && event.target === input.current) {
      event.preventDefault();
      go(event.shiftKey ? -1 : 1);
    }
  };
  const sourceCount = matches.filter((m) => m.part === 'source').length;

  return (
    <div className="find-bar" role="search" data-testid="find-bar" onKeyDown={onKeyDown}>
      <input
        ref={input}
        type="search"
        aria-label="Find in notebook"
        placeholder="Find in notebook"
        data-testid="find-input"
        value={text}
        maxLength={1000}
        onChange={(e) => { setText(e.target.value); setCurrent(0); setReplaced(null); }}
      />
      <span className="find-count" data-testid="find-count" data-count={matches.length} data-source-count={sourceCount}>
        {text === '' ? '' : matches.length === 0 ? 'No matches' : `${index + 1} of ${matches.length}`}
        {match?.part === 'output' ? ' (in an output, read only)' : ''}
      </span>
      <button type="button" title="Previous match (Shift+Enter)" data-testid="find-previous" disabled={matches.length === 0} onClick={() => go(-1)}>↑</button>
      <button type="button" title="Next match (Enter)" data-testid="find-next" disabled={matches.length === 0} onClick={() => go(1)}>↓</button>
      <label><input type="checkbox" data-testid="find-case" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} /> Match case</label>
      <label><input type="checkbox" data-testid="find-in-outputs" checked={inOutputs} onChange={(e) => setInOutputs(e.target.checked)} /> Outputs too</label>
      {readOnly ? <span className="find-read-only">view only: nothing can be replaced</span> : (
        <>
          <input
            type="text"
            aria-label="Replace with"
            placeholder="Replace with"
            data-testid="replace-input"
            value={replacement}
            maxLength={100_000}
            onChange={(e) => setReplacement(e.target.value)}
          />
          <button type="button" data-testid="replace-one" disabled={sourceCount === 0} onClick={replaceOne}>Replace</button>
          <button type="button" data-testid="replace-all" disabled={sourceCount === 0} onClick={replaceEverything}>Replace all</button>
          {replaced !== null && <span className="find-count" data-testid="replaced-count">{replaced} replaced</span>}
        </>
      )}
      <button type="button" aria-label="Close find" title="Close (Escape)" data-testid="find-close" onClick={close}>✕</button>
    </div>
  );
}
