'use client';
// Wires the workshop features of one notebook page to its session's awareness:
// publishes where this window is (`view`) and whom it follows, moves the window
// while following, pauses following when the viewer scrolls on their own, and
// takes this person's hand down once a presenter lowered it.
import { useEffect, useMemo } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { FollowController } from './follow';
import { wasLowered } from './hands';
import { applyView, measureView } from './view-anchor';
import type { RaisedHand, ViewAnchor } from './workshop-presence';

/** Keys that scroll the page when no editor or control has the focus. */
const scrollKeys = new Set(['PageUp', 'PageDown', 'Home', 'End', ' ']);
/** Publish the window's position at most this often while scrolling. */
const VIEW_PUBLISH_MS = 100;

export function useWorkshop(awareness: Awareness | null): FollowController | null {
  const controller = useMemo(() => (awareness ? new FollowController() : null), [awareness]);

  useEffect(() => {
    if (!awareness || !controller) return;
    const cleanups: (() => void)[] = [];
    const on = <K extends keyof WindowEventMap>(type: K, listener: (e: WindowEventMap[K]) => void, options?: AddEventListenerOptions) => {
      window.addEventListener(type, listener, options);
      cleanups.push(() => window.removeEventListener(type, listener, options));
    };

    // Where this window is, for anyone following this person.
    let publishTimer: ReturnType<typeof setTimeout> | undefined;
    const publishView = () => {
      publishTimer = undefined;
      const view = measureView();
      const old = awareness.getLocalState()?.view as ViewAnchor | null | undefined;
      if (old?.cellId === view?.cellId && old?.offset === view?.offset) return;
      awareness.setLocalStateField('view', view);
    };
    const schedulePublish = () => { publishTimer ??= setTimeout(publishView, VIEW_PUBLISH_MS); };
    on('scroll', schedulePublish, { passive: true });
    on('resize', schedulePublish);
    schedulePublish();
    cleanups.push(() => clearTimeout(publishTimer));

    // The viewer moving the page themselves ends following until they catch up.
    const userScrolled = () => controller.userScrolled();
    on('wheel', userScrolled, { passive: true });
    on('touchmove', userScrolled, { passive: true });
    on('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest?.('.cm-editor, input, textarea, select, button, [contenteditable]')) return;
      if (scrollKeys.has(event.key)) userScrolled();
    });
    on('mousedown', (event) => {
      // A press on the page's scrollbar (right of the document's client area).
      if (event.clientX >= document.documentElement.clientWidth) userScrolled();
    });

    // Following: put the window where the followed person's is, whenever they move.
    const follow = () => {
      const states = awareness.getStates();
      controller.reconcile(states);
      const target = controller.target(states);
      if (target) applyView(target.view, target.cellId);
    };
    const publishFollowing = () => {
      const local = awareness.getLocalState();
      const next = controller.presence();
      if (local?.following !== next.following || local?.followPaused !== next.followPaused) {
        awareness.setLocalStateField('following', next.following);
        awareness.setLocalStateField('followPaused', next.followPaused);
      }
      follow();
    };
    cleanups.push(controller.subscribe(publishFollowing));

    // A presenter lowered this person's hand: take it down.
    const checkHand = () => {
      const hand = awareness.getLocalState()?.hand as RaisedHand | null | undefined;
      if (hand && wasLowered(awareness.getStates(), awareness.clientID, hand)) awareness.setLocalStateField('hand', null);
    };
    const onChange = () => { follow(); checkHand(); };
    awareness.on('change', onChange);
    cleanups.push(() => awareness.off('change', onChange));

    return () => { for (const cleanup of cleanups.splice(0)) cleanup(); };
  }, [awareness, controller]);

  return controller;
}
