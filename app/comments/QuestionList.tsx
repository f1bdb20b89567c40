'use client';
// Attendees' questions for the presenter's panel: the open threads someone
// else started, newest last, each with the cell it is about; "Answer" opens the
// thread right there, and the reply reaches everyone live like any comment.
import { useState, type JSX } from 'react';
import { useObservableValue } from '../hooks/observable-value';
import type { CommentsUi } from './comment-threads';
import { ThreadCard } from './ThreadCard';

export function QuestionList(props: { ui: CommentsUi; onGoToCell?: (cellId: string) => void }): JSX.Element | null {
  const { ui } = props;
  const snapshot = useObservableValue(ui.threads, ui.threads.value);
  const [answering, setAnswering] = useState<string | null>(null);
  const questions = snapshot.threads.filter((t) => !t.resolved && t.author.userId !== ui.me.userId);
  if (!questions.length) return null;
  return (
    <ol className="question-list" data-testid="question-list">
      {questions.map((thread) => {
        const anchor = snapshot.anchors.get(thread.id);
        return (
          <li key={thread.id} data-testid="question" data-thread-id={thread.id} data-user-name={thread.author.name}>
            <button type="button" className="link-button" onClick={() => props.onGoToCell?.(thread.anchor.cellId)}>
              {thread.author.name} — {anchor?.state === 'live' ? `cell ${anchor.cellIndex + 1}` : 'text deleted'}
            </button>
            <span className="question-text" data-testid="question-text">{thread.comments[0]?.body.split('\n')[0]}</span>
            <button type="button" data-testid="answer-question" aria-expanded={answering === thread.id} onClick={() => setAnswering(answering === thread.id ? null : thread.id)}>
              {answering === thread.id ? 'Close' : 'Answer'}
            </button>
            {answering === thread.id && <ThreadCard thread={thread} anchor={anchor} ui={ui} />}
          </li>
        );
      })}
    </ol>
  );
}
