'use client';
// Drop zone and file picker that import .ipynb / .py files as new notebooks and
// show, per file, a link to the new notebook or why the file was refused.
// After any success it refreshes the current route so a server-rendered list shows the new notebooks.
import { useRef, useState, type DragEvent, type JSX } from 'react';
import { useRouter } from 'next/navigation';
import { ACCEPTED_FILES, importFiles, type ImportedFileResult } from './upload';

export function ImportDropZone(props: { onImported?: (results: ImportedFileResult[]) => void }): JSX.Element {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<ImportedFileResult[]>([]);

  async function upload(files: File[]) {
    if (files.length === 0) return;
    setBusy(true);
    const answered = await importFiles(files);
    setBusy(false);
    setResults(answered);
    props.onImported?.(answered);
    if (answered.some((r) => r.id)) router.refresh();
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void upload(Array.from(event.dataTransfer.files));
  };

  return (
    <div
      className="import-drop-zone"
      data-testid="import-drop-zone"
      data-dragging={dragging}
      data-busy={busy}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <span>{busy ? 'Importing…' : 'Drop .ipynb or .py files here to import them, or '}</span>
      {!busy && <button type="button" data-testid="import-choose" onClick={() => input.current?.click()}>choose files…</button>}
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_FILES}
        multiple
        hidden
        data-testid="import-file-input"
        onChange={(e) => { void upload(Array.from(e.target.files ?? [])); e.target.value = ''; }}
      />
      {results.length > 0 && (
        <ul className="import-results" aria-live="polite">
          {results.map((r, i) => (
            <li key={i} className="import-result" data-testid="import-result" data-status={r.id ? 'ok' : 'error'} data-file-name={r.fileName}>
              {r.id ? (
                <>Imported <a href={r.url} data-testid="import-result-link" data-notebook-id={r.id}>{r.fileName}</a></>
              ) : (
                <>
                  <strong>{r.fileName}</strong>: {r.problems?.length ? 'not a valid notebook' : r.error}
                  {r.problems?.length ? <ul>{r.problems.map((p, j) => <li key={j}>{p}</li>)}</ul> : null}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
