'use client';
// The toolbar's buttons for this page's panels: find and replace, the table of
// contents, the shortcut sheet. Viewers get them too (in a toolbar of their own).
import type { JSX } from 'react';
import { useObservableValue } from '../hooks/observable-value';
import type { NotebookPanels } from './notebook-panels';

export function PanelButtons(props: { panels: NotebookPanels }): JSX.Element {
  const { panels } = props;
  const open = useObservableValue(panels, panels.value);
  return (
    <>
      <button type="button" data-testid="find-toggle" aria-pressed={open.find} title="Find and replace in the notebook (Ctrl+Shift+F)" onClick={() => panels.toggle('find')}>Find</button>
      <button type="button" data-testid="contents-toggle" aria-pressed={open.contents} title="Table of contents" onClick={() => panels.toggle('contents')}>Contents</button>
      <button type="button" data-testid="shortcuts-toggle" title="Keyboard shortcuts (H)" aria-label="Keyboard shortcuts (H)" onClick={() => panels.open('shortcuts')}>?</button>
    </>
  );
}
