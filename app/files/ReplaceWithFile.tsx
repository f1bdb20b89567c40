'use client';
// "Replace with file…": picks a .ipynb / .py file and, after confirmation,
// replaces the notebook's whole content for everyone. The collab server then
// makes every open editor (this one too) reload; a refused file changes nothing
// and its problems are shown here.
import { useRef, useState, type JSX } from 'react';
import { ACCEPTED_FILES, replaceWithFile } from './upload';

export function ReplaceWithFile(props: { notebookId: string }): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy?: boolean; error?: string; problems?: string[]; done?: string }>({});

  async function replace(file: File | undefined) {
    if (!file) return;
    if (!window.confirm(`Replace the whole notebook with ${file.name}? This changes it for everyone editing it.`)) return;
    setState({ busy: true });
    const failure = await replaceWithFile(props.notebookId, file);
    setState(failure ?? { done: `Replaced with ${file.name}.` });
  }

  return (
    <span className="replace-with-file" data-testid="replace-with-file">
      <button type="button" disabled={state.busy} data-testid="replace-with-file-button" onClick={() => input.current?.click()}>
        {state.busy ? 'Replacing…' : 'Replace with file…'}
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_FILES}
        hidden
        data-testid="replace-file-input"
        onChange={(e) => { void replace(e.target.files?.[0]); e.target.value = ''; }}
      />
      {state.done && <span role="status" data-testid="replace-done">{state.done}</span>}
      {state.error && (
        <div role="alert" data-testid="replace-error">
          {state.error}
          {state.problems?.length ? <ul>{state.problems.map((p, i) => <li key={i}>{p}</li>)}</ul> : null}
        </div>
      )}
    </span>
  );
}
