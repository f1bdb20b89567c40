'use client';
// The table of contents, a side panel opened from the header: the markdown
// headings of the notebook (notebook-contents.ts), live as anyone edits;
// clicking one scrolls its cell under the sticky top and selects it. Beside
// each section, the faces of the collaborators whose cursor (their current
// cell) or, failing that, whose view is in it, read from awareness. Built only
// while open, so a closed panel costs a large notebook nothing.
import { useEffect, useMemo, useState, type JSX } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { cellIdOf, cellsOf } from '../../notebook-model';
import { peopleIn } from '../workshop/workshop-presence';
import type { NotebookContext } from './notebook-context';
import { headingsOf, sectionOf, type Heading } from './notebook-contents';
import { coveredTop } from './sticky-top';
import { useAwarenessSelector, useYDeepFrameVersion } from './y-hooks';

interface PlacedPerson { clientId: number; name: string; color: string; cellId: string }

/** Where the others are, as a string, so the panel re-renders only when someone changes cell. */
function placesKey(me: number) {
  return (states: ReadonlyMap<number, unknown>): string => JSON.stringify(peopleIn(states)
    .filter((p) => p.clientId !== me)
    .map((p) => ({ clientId: p.clientId, name: p.user.name, color: p.user.color ?? '#777', cellId: p.cellId ?? p.view?.cellId ?? null }))
    .filter((p) => p.cellId));
}

export function ContentsPanel(props: { context: NotebookContext }): JSX.Element {
  const { session, panels, selection } = props.context;
  const version = useYDeepFrameVersion(cellsOf(session.doc));
  const { headings, indexOfCell } = useMemo(() => {
    const ids = new Map<string, number>();
    cellsOf(session.doc).forEach((cell, i) => ids.set(cellIdOf(cell), i));
    return { headings: headingsOf(session.doc), indexOfCell: ids };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` says the document changed
  }, [session, version]);
  const people = usePlacedPeople(session.provider.awareness);
  const bySection = new Map<number, PlacedPerson[]>();
  for (const person of people) {
    const index = indexOfCell.get(person.cellId);
    if (index === undefined) continue;
    const section = sectionOf(headings, index);
    bySection.set(section, [...(bySection.get(section) ?? []), person]);
  }

  const goTo = (heading: Heading) => {
    selection.select(heading.cellId, 'command');
    const element = document.querySelector(`[data-testid="cell"][data-cell-id="${CSS.escape(heading.cellId)}"]`);
    if (element) window.scrollBy(0, element.getBoundingClientRect().top - coveredTop() - 8);
  };

  const top = useCoveredTop();
  return (
    <nav className="contents-panel" aria-label="Table of contents" data-testid="contents-panel" style={{ top: top + 8 }}>
      <div className="contents-title">
        Contents
        <button type="button" aria-label="Close contents" data-testid="contents-close" onClick={() => panels.close('contents')}>✕</button>
      </div>
      {bySection.has(-1) && <Faces people={bySection.get(-1)!} label="before the first heading" />}
      {headings.length === 0 ? <p className="contents-empty">No headings yet: start a markdown cell with #.</p> : (
        <ol>
          {headings.map((heading, i) => (
            <li key={`${heading.cellId}:${i}`} data-testid="contents-entry" data-cell-id={heading.cellId} data-level={heading.level} style={{ paddingLeft: `${(heading.level - 1) * 12}px` }}>
              <button type="button" onClick={() => goTo(heading)}>{heading.text}</button>
              {bySection.has(i) && <Faces people={bySection.get(i)!} label={heading.text} />}
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}

/** The bottom of the sticky top, kept current as banners come and go, so the panel starts under it. */
function useCoveredTop(): number {
  const [top, setTop] = useState(0);
  useEffect(() => {
    const element = document.querySelector('.notebook-top');
    const measure = () => setTop(coveredTop());
    measure();
    if (!element) return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return top;
}

function usePlacedPeople(awareness: Awareness): PlacedPerson[] {
  const select = useMemo(() => placesKey(awareness.clientID), [awareness]);
  const key = useAwarenessSelector(awareness, select, '[]');
  return useMemo(() => JSON.parse(key) as PlacedPerson[], [key]);
}

function Faces(props: { people: PlacedPerson[]; label: string }): JSX.Element {
  return (
    <span className="contents-people">
      {props.people.map((p) => (
        <span key={p.clientId} className="avatar" data-testid="contents-person" data-user-name={p.name} title={`${p.name} is in ${props.label}`} style={{ background: p.color }}>
          {[...p.name.trim()][0]?.toUpperCase() ?? '?'}
        </span>
      ))}
    </span>
  );
}
