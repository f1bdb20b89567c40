'use client';
// "Download" menu of a notebook: plain links to the export route, so the browser
// handles the download (and its file name from Content-Disposition) itself.
// Styles for app/files live in files.css, imported once by the root layout.
import type { JSX } from 'react';

const FORMATS = [
  { format: 'ipynb', label: 'Notebook (.ipynb)' },
  // Comment threads go into a file only when asked, under each cell's metadata.cellmate.comments.
  { format: 'ipynb', label: 'Notebook with comments (.ipynb)', comments: true },
  { format: 'stripped', label: 'Notebook without outputs (.ipynb)' },
  { format: 'py', label: 'Python script (.py)' },
  { format: 'html', label: 'Web page (.html)' },
] as const;

export function DownloadMenu(props: { notebookId: string }): JSX.Element {
  const base = `/api/notebooks/${encodeURIComponent(props.notebookId)}/export`;
  return (
    <details className="download-menu" data-testid="download-menu">
      <summary data-testid="download-menu-button">Download</summary>
      <div className="download-menu-items">
        {FORMATS.map(({ format, label, ...rest }) => (
          <a
            key={label}
            href={`${base}?format=${format}${'comments' in rest ? '&comments=1' : ''}`}
            download
            data-testid={'comments' in rest ? `download-${format}-with-comments` : `download-${format}`}
            // A choice made closes the menu (a <details> stays open by itself).
            onClick={(e) => e.currentTarget.closest('details')?.removeAttribute('open')}
          >
            {label}
          </a>
        ))}
      </div>
    </details>
  );
}
