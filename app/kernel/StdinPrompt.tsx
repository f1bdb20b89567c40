'use client';
// `input()` and `getpass()` from a running cell: the prompt appears under the
// cell only for the person who ran it (the bridge accepts the answer from no one
// else); everyone else sees that the cell waits for that person. A password
// request gets a masked field. The bridge echoes the prompt and the answer
// (masked for passwords) into the cell's output once answered.
import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import type { KernelUi } from './kernel-ui';
import { useKernelSelector } from './use-kernel-state';

export interface StdinPromptProps {
  cellId: string;
  kernel: KernelUi;
  /** Called when the answer field takes the focus: the cell becomes the selected one. */
  onActivate?: () => void;
}

export function StdinPrompt(props: StdinPromptProps): JSX.Element | null {
  const { cellId, kernel } = props;
  const request = useKernelSelector(kernel.state, (s) => (s.inputRequest?.cellId === cellId ? s.inputRequest : undefined));
  const runBy = useKernelSelector(kernel.state, (s) => (s.runningCellId === cellId ? s.runBy?.name : undefined));
  if (!request) return null;
  if (request.forUserId !== kernel.userId) {
    return (
      <div className="stdin-waiting" data-testid="stdin-waiting">
        Waiting for {runBy ?? 'the person who ran this cell'} to answer: <code>{request.prompt}</code>
      </div>
    );
  }
  // Keyed by the request, so a second input() in the same cell starts empty.
  return <StdinForm key={`${request.prompt}|${request.password}`} prompt={request.prompt} password={request.password} kernel={kernel} onActivate={props.onActivate} />;
}

function StdinForm(props: { prompt: string; password: boolean; kernel: KernelUi; onActivate?: () => void }): JSX.Element {
  const [value, setValue] = useState('');
  const [sending, setSending] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  // Take the keys as JupyterLab does, from a cell's editor too (Shift+Enter left
  // the caret in the next cell); only a form field this person is filling in
  // (another answer, a dialog's field) keeps them.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || !active.closest('input, textarea, select')) field.current?.focus();
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    const sent = await props.kernel.actions.answerInput(value);
    if (!sent) setSending(false);
  };
  return (
    <form className="stdin-prompt" data-testid="stdin-prompt" onSubmit={submit}>
      <label>
        <span className="stdin-label">{props.prompt}</span>
        <input
          data-testid="stdin-input"
          type={props.password ? 'password' : 'text'}
          autoComplete={props.password ? 'current-password' : 'off'}
          ref={field}
          onFocus={props.onActivate}
          value={value}
          disabled={sending}
          onChange={(e) => setValue(e.target.value)}
          // Notebook keys (Shift+Enter, D D…) must not act while typing the answer.
          onKeyDown={(e) => e.stopPropagation()}
        />
      </label>
    </form>
  );
}
