'use client';
// The workshop controls of a notebook page, floating at its bottom right: the
// presenter's panel (for presenters: those who can edit, except the workshop's
// attendees) above this viewer's follow/hand bar, and, for attendees while a
// workshop is live, "Try it myself". Someone alone in a notebook outside a
// workshop has no one to present to, follow or ask, so the dock stays away;
// outside a workshop the dock only shows whom this person follows (hands and
// head counts are a workshop's).
import type { JSX } from 'react';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { CommentsUi } from '../comments/comment-threads';
import { useAwarenessSelector } from '../notebook/y-hooks';
import type { FollowController } from './follow';
import { FollowBar } from './FollowBar';
import { PresenterPanel } from './PresenterPanel';
import { TryItMyself } from './TryItMyself';
import { peopleIn } from './workshop-presence';

/** What the page knows of the live workshop, as it concerns this person. */
export interface WorkshopOnPage {
  /** Joined through the attendee link: never a presenter, even when that link gives editing. */
  attendee: boolean;
  /** May make a copy of their own (signed in, or a guest of the workshop's links). */
  canFork: boolean;
  /** How many days guests' copies are kept after the workshop ends. */
  keptDays: number;
}

function scrollToCell(cellId: string): void {
  document.querySelector(`[data-testid="cell"][data-cell-id="${CSS.escape(cellId)}"]`)?.scrollIntoView({ block: 'center' });
}

export function WorkshopDock(props: {
  awareness: Awareness; doc: Y.Doc; follow: FollowController; presenter: boolean; notebookId: string; workshop: WorkshopOnPage | null;
  /** The notebook's comments: the presenter's panel lists attendees' questions from them. */
  comments?: CommentsUi | null;
}): JSX.Element | null {
  const { workshop } = props;
  // How many are here, not who moved where: the dock re-renders when someone arrives or leaves.
  const present = useAwarenessSelector(props.awareness, (states) => peopleIn(states).length, 0);
  if (!workshop && present < 2) return null;
  return (
    <div className="workshop-dock" data-testid="workshop-dock">
      {workshop && props.presenter && <PresenterPanel awareness={props.awareness} doc={props.doc} onGoToCell={scrollToCell} comments={props.comments} />}
      {workshop?.canFork && !props.presenter && <TryItMyself notebookId={props.notebookId} keptDays={workshop.keptDays} />}
      <FollowBar awareness={props.awareness} follow={props.follow} hands={workshop !== null} />
    </div>
  );
}
