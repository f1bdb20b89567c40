// The notebook's title as its open pages show it. The title is stored with the
// notebook (the list, the share page and a reload read it there); a rename made
// in the editor is also written into the shared document's notebook metadata
// (`title`, nbformat's own key), which is how every page that has the notebook
// open learns of it at once. So a page starts from the stored title and then
// follows only changes to the document's title made while it is connected: a
// title the document held from earlier (say, before a rename from the list) is
// never taken for a new one.
import type * as Y from 'yjs';
import { metaOf, notebookMetadataOf, setNotebookMetadata } from '../../notebook-model';
import { ObservableValue } from '../hooks/observable-value';

const titleIn = (doc: Y.Doc): string | undefined => {
  const title = notebookMetadataOf(doc).title;
  return typeof title === 'string' ? title : undefined;
};

export class LiveTitle extends ObservableValue<string> {
  /** The document's title when this page last looked (after its first sync). */
  private seen: string | undefined;
  private watching = false;
  private readonly onChange = () => {
    if (!this.watching) return;
    const now = titleIn(this.doc);
    if (now !== undefined && now !== this.seen) this.set(now);
    this.seen = now;
  };

  constructor(private readonly doc: Y.Doc, stored: string) {
    super(stored);
  }

  /** Follows the document's title from now on; returns how to stop. */
  watch(): () => void {
    metaOf(this.doc).observeDeep(this.onChange);
    return () => metaOf(this.doc).unobserveDeep(this.onChange);
  }

  /** The page's copy caught up with the shared document: from now on a title change is news. */
  synced(): void {
    if (this.watching) return;
    this.seen = titleIn(this.doc);
    this.watching = true;
  }

  /** Tells every open page of a rename already stored. */
  announce(title: string, origin: unknown): void {
    setNotebookMetadata(this.doc, 'title', title, origin);
  }
}
