// What each notebook command does: a document operation from the model (always
// with this tab's local origin, so undo sees it as ours) plus where the
// selection goes next. Used by the keyboard, the toolbar and the cell buttons
// alike. Running code is not done here: `onRun` is called with the cells to run
// and what should happen next, and the kernel issue attaches to it.
import {
  cellIdOf, cellsOf, cellsToRunForStale, changeCellType, deleteCell, findCell, indexOfCell, insertCell,
  mergeCellWithNext, moveCell, splitCell, type CellType,
} from '../../notebook-model';
import { CellClipboard, ClipboardProblem, cellsForClipboard, pasteCells } from './cell-clipboard';
import type { CellPart, CellViewStore } from './cell-view-store';
import type { EditorPreferences } from './editor-preferences';
import type { NotebookCommand } from './keyboard';
import type { NotebookPanels } from './notebook-panels';
import type { NotebookSession } from './notebook-session';
import type { SelectionStore } from './selection-store';

/** What a viewer may still do: move around, read, fold, copy, find (the kernel checks the role of a run itself, too). */
const readOnlyCommands = new Set<NotebookCommand>([
  'enterCommand', 'selectNext', 'selectPrevious', 'extendNext', 'extendPrevious', 'toggleOutput', 'toggleOutputScroll',
  'copyCells', 'toggleLineNumbers', 'findInNotebook', 'showShortcuts',
]);

/** After running: select the next cell, stay, or insert a cell below. */
export type RunFollowUp = 'next' | 'stay' | 'insert';
export type RunHandler = (cellIds: string[], then: RunFollowUp) => void;

/** The editors alive right now, by cell id, so commands can read a cursor. */
export class CursorRegistry {
  private readonly cursors = new Map<string, () => number>();
  register(cellId: string, cursor: () => number): () => void {
    this.cursors.set(cellId, cursor);
    return () => { if (this.cursors.get(cellId) === cursor) this.cursors.delete(cellId); };
  }
  cursorOf(cellId: string): number | undefined {
    return this.cursors.get(cellId)?.();
  }
}

/** This page's own state that some commands change (none of it is in the document). */
export interface NotebookCommandsPageState {
  /** This person's line-number choice. */
  preferences?: EditorPreferences;
  /** The find bar, table of contents and shortcut sheet. */
  panels?: NotebookPanels;
  /** Where copied cells are kept. */
  clipboard?: CellClipboard;
  /** Told when an action could not be done, with the reason. */
  onProblem?: (message: string) => void;
}

export class NotebookCommands {
  private readonly clipboard: CellClipboard;

  constructor(
    private readonly session: NotebookSession,
    private readonly selection: SelectionStore,
    private readonly cursors: CursorRegistry,
    private readonly onRun: RunHandler = () => {},
    /** A viewer's page: commands that would change the document do nothing. */
    private readonly readOnly = false,
    /** This person's folded cells (not in the document). */
    private readonly view: CellViewStore | null = null,
    /** Told when a viewer tries a command only an editor may use. */
    private readonly onRefused: (command: NotebookCommand | 'insert') => void = () => {},
    private readonly page: NotebookCommandsPageState = {},
  ) {
    this.clipboard = page.clipboard ?? new CellClipboard();
  }

  /** Runs a command on the selected cell; false when it did not apply. */
  run(command: NotebookCommand): boolean {
    const id = this.selection.selected;
    if (this.readOnly && !readOnlyCommands.has(command)) {
      this.onRefused(command);
      return false;
    }
    switch (command) {
      case 'enterEdit': return id !== null && (this.selection.setMode('edit'), true);
      case 'enterCommand': return (this.selection.setMode('command'), true);
      case 'runSelectNext': return this.runCells('next');
      case 'runStay': return this.runCells('stay');
      case 'runInsertBelow': return this.runCells('insert');
      case 'insertAbove': return this.insert('above');
      case 'insertBelow': return this.insert('below');
      case 'deleteCell': return this.deleteSelected();
      case 'toMarkdown': return this.changeType('markdown');
      case 'toCode': return this.changeType('code');
      case 'toRaw': return this.changeType('raw');
      case 'selectNext': return this.selectRelative(1);
      case 'selectPrevious': return this.selectRelative(-1);
      case 'extendNext': return this.extendRelative(1);
      case 'extendPrevious': return this.extendRelative(-1);
      case 'moveUp': return this.move(-1);
      case 'moveDown': return this.move(1);
      case 'mergeWithNext': return this.edit(() => id !== null && mergeCellWithNext(this.doc, id, this.origin));
      case 'split': return this.split();
      case 'undo': return this.session.undoManager.undo() !== null;
      case 'redo': return this.session.undoManager.redo() !== null;
      case 'toggleOutput': return this.toggleView('output');
      case 'toggleOutputScroll': return this.toggleView('outputExpanded');
      case 'runStale': return this.runStale();
      case 'copyCells': return this.copy(false);
      case 'cutCells': return this.copy(true);
      case 'pasteBelow': return this.paste('below');
      case 'pasteAbove': return this.paste('above');
      case 'toggleLineNumbers': return this.page.preferences ? (this.page.preferences.toggleLineNumbers(), true) : false;
      case 'findInNotebook': return this.page.panels ? (this.page.panels.open('find'), true) : false;
      case 'showShortcuts': return this.page.panels ? (this.page.panels.open('shortcuts'), true) : false;
    }
  }

  /**
   * Moves a cell next to another (drag and drop): `where` the target it lands.
   * One transaction with this tab's origin, like Ctrl+Up/Down.
   */
  moveNextTo(cellId: string, targetId: string, where: 'above' | 'below'): boolean {
    if (this.readOnly) {
      this.onRefused('moveUp');
      return false;
    }
    const from = indexOfCell(this.doc, cellId);
    const target = indexOfCell(this.doc, targetId);
    if (from < 0 || target < 0 || cellId === targetId) return false;
    // moveCell takes the index in the final array, where the moved cell no longer sits before the target.
    const slot = where === 'above' ? target : target + 1;
    const moved = this.edit(() => moveCell(this.doc, cellId, from < slot ? slot - 1 : slot, this.origin));
    this.selection.select(cellId, 'command');
    return moved;
  }

  /** Copies the selected cells (C), or cuts them (X): whole cells, kept in this browser. */
  private copy(cut: boolean): boolean {
    const ids = this.selection.range.filter((id) => findCell(this.doc, id));
    try {
      this.clipboard.write(cellsForClipboard(this.doc, ids));
    } catch (error) {
      if (error instanceof ClipboardProblem) this.page.onProblem?.(error.message);
      else throw error;
      return false;
    }
    if (!cut) return true;
    const first = Math.min(...ids.map((id) => indexOfCell(this.doc, id)));
    this.edit(() => this.doc.transact(() => { for (const id of ids) deleteCell(this.doc, id, this.origin); }, this.origin));
    const cells = cellsOf(this.doc);
    if (cells.length === 0) this.selection.select(this.edit(() => insertCell(this.doc, 0, { cell_type: 'code' }, this.origin)), 'command');
    else this.selection.select(cellIdOf(cells.get(Math.min(first, cells.length - 1))), 'command');
    return true;
  }

  /** Pastes the copied cells below or above the selected one (V / Shift+V) and selects the last pasted. */
  private paste(where: 'above' | 'below'): boolean {
    void this.clipboard.read(this.doc).then((cells) => {
      const id = this.selection.selected;
      const index = id === null ? -1 : indexOfCell(this.doc, id);
      const at = index < 0 ? cellsOf(this.doc).length : where === 'above' ? index : index + 1;
      const ids = this.edit(() => pasteCells(this.doc, at, cells, this.origin));
      this.selection.select(ids[ids.length - 1], 'command');
    }, (error: unknown) => {
      if (error instanceof ClipboardProblem) this.page.onProblem?.(error.message);
      else this.page.onProblem?.('The copied cells could not be pasted.');
    });
    return true;
  }

  insert(where: 'above' | 'below', mode: 'command' | 'edit' = 'command'): boolean {
    if (this.readOnly) {
      this.onRefused('insert');
      return false;
    }
    const id = this.selection.selected;
    const index = id === null ? -1 : indexOfCell(this.doc, id);
    const at = index < 0 ? cellsOf(this.doc).length : where === 'above' ? index : index + 1;
    const newId = this.edit(() => insertCell(this.doc, at, { cell_type: 'code' }, this.origin));
    this.selection.select(newId, mode);
    return true;
  }

  changeType(type: CellType): boolean {
    const id = this.selection.selected;
    if (id === null || this.readOnly) return false;
    const changed = this.edit(() => changeCellType(this.doc, id, type, this.origin));
    this.selection.select(id, 'command');
    return changed;
  }

  /** Folds or unfolds a part of the selected cells, in this person's view. */
  toggleView(part: CellPart, cellIds: readonly string[] = this.selection.range): boolean {
    if (!this.view || cellIds.length === 0) return false;
    this.view.toggle(cellIds, part);
    return true;
  }

  private get doc() {
    return this.session.doc;
  }

  private get origin() {
    return this.session.localOrigin;
  }

  /** A structural edit is its own undo step, never merged with the typing before it. */
  private edit<T>(operation: () => T): T {
    this.session.undoManager.stopCapturing();
    const result = operation();
    this.session.undoManager.stopCapturing();
    return result;
  }

  private deleteSelected(): boolean {
    const id = this.selection.selected;
    if (id === null) return false;
    const index = indexOfCell(this.doc, id);
    if (!this.edit(() => deleteCell(this.doc, id, this.origin))) return false;
    const cells = cellsOf(this.doc);
    if (cells.length === 0) {
      // A notebook always keeps one cell to type into, as in Jupyter.
      this.selection.select(this.edit(() => insertCell(this.doc, 0, { cell_type: 'code' }, this.origin)), 'command');
    } else {
      this.selection.select(cellIdOf(cells.get(Math.min(index, cells.length - 1))), 'command');
    }
    return true;
  }

  private selectRelative(step: 1 | -1): boolean {
    const id = this.selection.selected;
    const cells = cellsOf(this.doc);
    if (cells.length === 0) return false;
    const index = id === null ? -1 : indexOfCell(this.doc, id);
    const next = index < 0 ? 0 : Math.max(0, Math.min(cells.length - 1, index + step));
    this.selection.select(cellIdOf(cells.get(next)), 'command');
    return next !== index;
  }

  private extendRelative(step: 1 | -1): boolean {
    const id = this.selection.selected;
    const cells = cellsOf(this.doc);
    if (id === null || cells.length === 0) return false;
    const index = indexOfCell(this.doc, id);
    const next = Math.max(0, Math.min(cells.length - 1, index + step));
    if (next === index) return false;
    this.selection.extendTo(cellIdOf(cells.get(next)));
    return true;
  }

  /** Runs every selected cell (a range after Shift+J/K or Shift+click), in document order. */
  runSelected(): boolean {
    const ids = this.selection.range.filter((id) => findCell(this.doc, id));
    if (!ids.length) return false;
    this.onRun(ids, 'stay');
    return true;
  }

  /** Runs every stale cell and the cells that read from them, in notebook order (the selection stays). */
  runStale(): boolean {
    const ids = cellsToRunForStale(this.doc);
    if (!ids.length) return false;
    this.onRun(ids, 'stay');
    return true;
  }

  private move(step: 1 | -1): boolean {
    const id = this.selection.selected;
    if (id === null) return false;
    const index = indexOfCell(this.doc, id);
    return this.edit(() => moveCell(this.doc, id, index + step, this.origin));
  }

  private split(): boolean {
    const id = this.selection.selected;
    if (id === null) return false;
    const offset = this.cursors.cursorOf(id);
    if (offset === undefined) return false;
    const newId = this.edit(() => splitCell(this.doc, id, offset, this.origin));
    if (newId) this.selection.select(newId, 'edit');
    return newId !== undefined;
  }

  private runCells(then: RunFollowUp): boolean {
    const range = this.selection.range.filter((cellId) => findCell(this.doc, cellId));
    // A multi-cell selection runs as a whole and continues from its last cell, as in Jupyter.
    const ids = range.length > 1 && then !== 'insert' ? range : [this.selection.selected];
    const id = ids[ids.length - 1];
    if (id === null || !findCell(this.doc, id)) return false;
    this.onRun(ids as string[], then);
    if (then === 'stay') {
      this.selection.select(id, 'command');
    } else if (then === 'insert') {
      this.insert('below', 'edit');
    } else {
      const cells = cellsOf(this.doc);
      const index = indexOfCell(this.doc, id);
      if (index + 1 < cells.length) this.selection.select(cellIdOf(cells.get(index + 1)), 'command');
      else {
        const newId = this.edit(() => insertCell(this.doc, cells.length, { cell_type: 'code' }, this.origin));
        this.selection.select(newId, 'edit');
      }
    }
    return true;
  }
}
