// Shown for /notebooks/<id> when no notebook has that id (deleted, or a mistyped link).
import type { JSX } from 'react';
import Link from 'next/link';

export default function NotebookNotFound(): JSX.Element {
  return (
    <main className="list-page not-found" data-testid="notebook-not-found">
      <h1>Notebook not found</h1>
      <p>No notebook has this address. It may have been deleted, or the link is mistyped.</p>
      <p><Link href="/">Back to all notebooks</Link></p>
    </main>
  );
}
