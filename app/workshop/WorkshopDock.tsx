'use client';
// The workshop controls of a notebook page, floating at its bottom right: the
// presenter's panel (for those who can edit) above this viewer's follow/hand bar.
import type { JSX } from 'react';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { FollowController } from './follow';
import { FollowBar } from './FollowBar';
import { PresenterPanel } from './PresenterPanel';

function scrollToCell(cellId: string): void {
  document.querySelector(`[data-testid="cell"][data-cell-id="${CSS.escape(cellId)}"]`)?.scrollIntoView({ block: 'center' });
}

export function WorkshopDock(props: { awareness: Awareness; doc: Y.Doc; follow: FollowController; presenter: boolean }): JSX.Element {
  return (
    <div className="workshop-dock" data-testid="workshop-dock">
      {props.presenter && <PresenterPanel awareness={props.awareness} doc={props.doc} onGoToCell={scrollToCell} />}
      <FollowBar awareness={props.awareness} follow={props.follow} />
    </div>
  );
}
