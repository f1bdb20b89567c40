// What the notebook's find bar is looking for, and its marks in each cell
// editor: every match of the query in the cell's text, the current match drawn
// stronger. Each editor computes its own matches from its own text (only built
// editors pay, so a 2,000-cell notebook costs nothing until someone searches).
import { RangeSetBuilder, StateEffect, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { ObservableValue } from '../hooks/observable-value';
import { MAX_QUERY_CHARS, occurrences, type FindMatch, type FindQuery } from './notebook-find';

export interface FindState {
  query: FindQuery | null;
  current: FindMatch | null;
}

export class FindHighlight extends ObservableValue<FindState> {
  constructor() {
    super({ query: null, current: null });
  }

  show(query: FindQuery | null, current: FindMatch | null): void {
    const same = this.value.query?.text === query?.text && this.value.query?.caseSensitive === query?.caseSensitive
      && this.value.current?.cellId === current?.cellId && this.value.current?.from === current?.from && this.value.current?.part === current?.part;
    if (!same) this.set({ query, current });
  }
}

const refresh = StateEffect.define<null>();
const matchMark = Decoration.mark({ class: 'cm-notebook-match' });
const currentMark = Decoration.mark({ class: 'cm-notebook-match cm-notebook-match-current' });

/** The find bar's marks in the editor of cell `cellId`. */
export function findHighlightExtension(cellId: string, find: FindHighlight): Extension {
  return ViewPlugin.fromClass(class {
    decorations: DecorationSet;
    private readonly unsubscribe: () => void;

    constructor(view: EditorView) {
      this.decorations = marks(view, cellId, find.value);
      // Dispatched in a microtask: the store may change while this editor is mid-update.
      this.unsubscribe = find.subscribe(() => queueMicrotask(() => { if (view.dom.isConnected) view.dispatch({ effects: refresh.of(null) }); }));
    }

    update(update: ViewUpdate) {
      if (update.docChanged || update.transactions.some((t) => t.effects.some((e) => e.is(refresh)))) {
        this.decorations = marks(update.view, cellId, find.value);
      }
    }

    destroy() {
      this.unsubscribe();
    }
  }, { decorations: (plugin) => plugin.decorations });
}

function marks(view: EditorView, cellId: string, state: FindState): DecorationSet {
  const { query, current } = state;
  if (!query || query.text === '') return Decoration.none;
  const builder = new RangeSetBuilder<Decoration>();
  const text = view.state.doc.toString();
  const length = Math.min(query.text.length, MAX_QUERY_CHARS);
  for (const from of occurrences(text, query)) {
    const isCurrent = current?.cellId === cellId && current.part === 'source' && current.from === from;
    builder.add(from, Math.min(from + length, text.length), isCurrent ? currentMark : matchMark);
  }
  return builder.finish();
}
