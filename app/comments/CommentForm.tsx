'use client';
// A comment being written: markdown in a textarea, sent with the button or
// Ctrl/Cmd+Enter, bounded by the size the collab server accepts.
import { useState, type JSX, type KeyboardEvent } from 'react';
import { maxCommentBodyChars } from '../../notebook-model/comments';
import type { CommentsUi } from './comment-threads';

export function CommentForm(props: {
  ui: CommentsUi; submitLabel: string; testId: string; initial?: string; autoFocus?: boolean;
  onSubmit: (body: string) => void; onCancel?: () => void;
}): JSX.Element {
  const [body, setBody] = useState(props.initial ?? '');
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
        data-testid={`${props.testId}-body`}
        value={body}
        maxLength={maxCommentBodyChars}
        rows={2}
        placeholder="Markdown; Ctrl+Enter to send"
        autoFocus={props.autoFocus}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="comment-form-buttons">
        <button type="submit" data-testid={`${props.testId}-submit`} disabled={!body.trim()}>{props.submitLabel}</button>
        {props.onCancel && <button type="button" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
