// The per-notebook objects every cell needs, bundled so a memoized cell gets one
// stable prop instead of six.
import type { CommentsUi } from '../comments/comment-threads';
import type { KernelUi } from '../kernel/kernel-ui';
import type { CellViewStore } from './cell-view-store';
import type { EditorPreferences } from './editor-preferences';
import type { FindHighlight } from './find-highlight';
import type { NotebookPanels } from './notebook-panels';
import type { EditorLanguage } from './CodeEditor';
import type { KeyInterpreter } from './keyboard';
import type { CursorRegistry, NotebookCommands } from './notebook-commands';
import type { NotebookSession } from './notebook-session';
import type { RefusalNotice } from './refusal-notice';
import type { SelectionStore } from './selection-store';

export interface NotebookContext {
  session: NotebookSession;
  selection: SelectionStore;
  commands: NotebookCommands;
  keys: KeyInterpreter;
  cursors: CursorRegistry;
  /** A viewer's page: editors are read-only and no command changes the document. */
  readOnly: boolean;
  /** Highlighting for code cells, from the notebook's language. */
  codeLanguage: EditorLanguage;
  /** Says what a viewer just tried and may not do. */
  refusals: RefusalNotice;
  /** This person's folded inputs and outputs. */
  view: CellViewStore;
  /** This person's editor preferences (line numbers). */
  preferences: EditorPreferences;
  /** The find bar, table of contents and shortcut sheet of this page. */
  panels: NotebookPanels;
  /** What the find bar looks for, marked in the editors. */
  find: FindHighlight;
  /** The notebook's shared kernel (run state, stdin, completion); absent until the page has it. */
  kernel?: KernelUi | null;
  /** The notebook's comment threads and what this person may do with them; absent until the page has them. */
  comments?: CommentsUi | null;
}
