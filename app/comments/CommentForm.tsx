'use client';
// A comment being written: markdown in a textarea, sent with the button or
// Ctrl/Cmd+Enter, bounded by the size the collab server accepts. Typing "@"
// offers the notebook's members; choosing one writes "@Name", which the
// comment then records as a mention of that person.
import { useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { maxCommentBodyChars } from '../../notebook-model/comments';
import type { CommentsUi } from './comment-threads';

export function CommentForm(props: {
  ui: CommentsUi; submitLabel: string; testId: string; initial?: string; autoFocus?: boolean;
  onSubmit: (body: string) => void; onCancel?: () => void;
}): JSX.Element {
  const [body, setBody] = useState(props.initial ?? '');
  const [caret, setCaret] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const typed = /(?:^|[^\w.])@([^\s@]{0,30})$/.exec(body.slice(0, caret));
  const query = typed?.[1].toLowerCase() ?? null;
  const options = query === null ? [] : props.ui.people.filter((p) => p.userId !== props.ui.me.userId && p.name.toLowerCase().startsWith(query)).slice(0, 8);
  const choose = (name: string) => {
    const start = caret - (query?.length ?? 0) - 1;
    const next = `${body.slice(0, start)}@${name} ${body.slice(caret)}`;
    setBody(next);
    const at = start + name.length + 2;
    setCaret(at);
    requestAnimationFrame(() => { input.current?.focus(); input.current?.setSelectionRange(at, at); });
  };
  const submit = () => {
    if (!body.trim()) return;
    props.onSubmit(body);
    setBody('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && props.onCancel) {
      event.preventDefault();
      props.onCancel();
    }
  };
  return (
    <form className="comment-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <textarea
        ref={input}
        data-testid={`${props.testId}-body`}
        value={body}
        maxLength={maxCommentBodyChars}
        rows={2}
        placeholder="Markdown; Ctrl+Enter to send"
        autoFocus={props.autoFocus}
        onChange={(e) => { setBody(e.target.value); setCaret(e.target.selectionStart); }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
      />
      {options.length > 0 && (
        <ul className="mention-options" role="listbox" data-testid="mention-options">
          {options.map((person) => (
            <li key={person.userId} role="option" aria-selected={false} data-testid="mention-option" data-user-name={person.name}
              onMouseDown={(e) => { e.preventDefault(); choose(person.name); }}>
              @{person.name}
            </li>
          ))}
        </ul>
      )}
      <div className="comment-form-buttons">
        <button type="submit" data-testid={`${props.testId}-submit`} disabled={!body.trim()}>{props.submitLabel}</button>
        {props.onCancel && <button type="button" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
