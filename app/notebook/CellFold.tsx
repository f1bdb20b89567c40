'use client';
// A cell's input or outputs folded by this person only (CellViewStore): the bar
// at their left that folds and unfolds them, and the one-line stand-in shown
// while they are folded. Each part of each cell subscribes to its own fold, so
// folding one cell re-renders that cell alone.
import { useSyncExternalStore, type JSX, type ReactNode } from 'react';
import type { CellPart, CellViewStore } from './cell-view-store';

/** Whether `part` of the cell is folded; re-renders only when that changes. */
export function useFolded(view: CellViewStore, cellId: string, part: CellPart): boolean {
  return useSyncExternalStore(view.subscribe, () => view.has(cellId, part), () => false);
}

export function Foldable(props: {
  /** What the bar's hover names: "the input", "the outputs (O)". */
  label: string;
  folded: boolean;
  onToggle: () => void;
  /** The stand-in's words after "⋯" (asked for only while folded). */
  standIn: () => string;
  testIds: { bar: string; standIn: string };
  children: ReactNode;
}): JSX.Element {
  const { label, folded, onToggle, testIds } = props;
  return (
    <>
      <button
        type="button"
        className="collapser"
        data-testid={testIds.bar}
        aria-expanded={!folded}
        title={folded ? `Show ${label}` : `Collapse ${label}; only you see this`}
        onClick={onToggle}
      />
      {folded ? (
        <button type="button" className="collapsed-stand-in" data-testid={testIds.standIn} onClick={onToggle}>
          ⋯ {props.standIn()}
        </button>
      ) : props.children}
    </>
  );
}
