// Jupyter's keyboard model, as data. A notebook is in command mode (a cell is
// selected, keys act on cells) or edit mode (the cell's editor has the keys).
// `keyTable` below is the whole reference; `KeyInterpreter` turns key events into
// commands, including the two-key "D D". Nothing here touches the document: the
// editor maps each command to a notebook operation (notebook-commands.ts), and
// running code is a callback attached later (`onRun`).
//
//   mode     keys                 command
//   command  Enter                enterEdit       edit the selected cell
//   edit     Escape               enterCommand    leave the editor (markdown renders)
//   both     Shift+Enter          runSelectNext   run, select the next cell (a new one at the end)
//   both     Ctrl+Enter           runStay         run, stay (leaves edit mode)
//   both     Alt+Enter            runInsertBelow  run, insert a cell below and edit it
//   command  A / B                insertAbove / insertBelow
//   command  D D                  deleteCell
//   command  M / Y / R            toMarkdown / toCode / toRaw
//   command  J, ArrowDown         selectNext
//   command  K, ArrowUp           selectPrevious
//   command  Shift+J / Shift+Down extendNext      extend the selection down
//   command  Shift+K / Shift+Up   extendPrevious  extend the selection up
//   command  Ctrl+ArrowUp / Down  moveUp / moveDown
//   command  Shift+M              mergeWithNext
//   command  Z / Shift+Z          undo / redo
//   edit     Ctrl+Shift+Minus     split           split the cell at the cursor
//   command  O                    toggleOutput    collapse/expand the outputs (this person's view only)
//   command  Shift+O              toggleOutputScroll  long outputs in a scroll box, or at full height
//   command  Shift+R              runStale        run the stale cells and the cells that read from them
//   command  C / X                copyCells / cutCells  whole cells (source, type, metadata, outputs)
//   command  V / Shift+V          pasteBelow / pasteAbove  also into another notebook of this browser
//   command  Shift+L              toggleLineNumbers  line numbers in every cell (this person's choice)
//   both     Ctrl+Shift+F         findInNotebook  find and replace across the notebook
//   command  H                    showShortcuts   this table, as a dialog
// In edit mode Ctrl+Z / Ctrl+Y are the editor's own undo/redo keys (the same
// shared undo history). Cmd counts as Ctrl on macOS.

export type NotebookMode = 'command' | 'edit';

export type NotebookCommand =
  | 'enterEdit' | 'enterCommand'
  | 'runSelectNext' | 'runStay' | 'runInsertBelow'
  | 'insertAbove' | 'insertBelow' | 'deleteCell'
  | 'toMarkdown' | 'toCode' | 'toRaw'
  | 'selectNext' | 'selectPrevious' | 'extendNext' | 'extendPrevious' | 'moveUp' | 'moveDown'
  | 'mergeWithNext' | 'split' | 'undo' | 'redo'
  | 'toggleOutput' | 'toggleOutputScroll' | 'runStale'
  | 'copyCells' | 'cutCells' | 'pasteBelow' | 'pasteAbove'
  | 'toggleLineNumbers' | 'findInNotebook' | 'showShortcuts';

export interface KeyBinding {
  /** Chord(s) in the form produced by `chordOf`, e.g. `Shift-Enter`, `Ctrl-Shift-Minus`, `d d`. */
  keys: string;
  mode: NotebookMode | 'both';
  command: NotebookCommand;
}

export const keyTable: readonly KeyBinding[] = [
  { keys: 'Enter', mode: 'command', command: 'enterEdit' },
  { keys: 'Escape', mode: 'edit', command: 'enterCommand' },
  { keys: 'Shift-Enter', mode: 'both', command: 'runSelectNext' },
  { keys: 'Ctrl-Enter', mode: 'both', command: 'runStay' },
  { keys: 'Alt-Enter', mode: 'both', command: 'runInsertBelow' },
  { keys: 'a', mode: 'command', command: 'insertAbove' },
  { keys: 'b', mode: 'command', command: 'insertBelow' },
  { keys: 'd d', mode: 'command', command: 'deleteCell' },
  { keys: 'm', mode: 'command', command: 'toMarkdown' },
  { keys: 'y', mode: 'command', command: 'toCode' },
  { keys: 'r', mode: 'command', command: 'toRaw' },
  { keys: 'j', mode: 'command', command: 'selectNext' },
  { keys: 'ArrowDown', mode: 'command', command: 'selectNext' },
  { keys: 'k', mode: 'command', command: 'selectPrevious' },
  { keys: 'ArrowUp', mode: 'command', command: 'selectPrevious' },
  { keys: 'Shift-j', mode: 'command', command: 'extendNext' },
  { keys: 'Shift-ArrowDown', mode: 'command', command: 'extendNext' },
  { keys: 'Shift-k', mode: 'command', command: 'extendPrevious' },
  { keys: 'Shift-ArrowUp', mode: 'command', command: 'extendPrevious' },
  { keys: 'Ctrl-ArrowUp', mode: 'command', command: 'moveUp' },
  { keys: 'Ctrl-ArrowDown', mode: 'command', command: 'moveDown' },
  { keys: 'Shift-m', mode: 'command', command: 'mergeWithNext' },
  { keys: 'z', mode: 'command', command: 'undo' },
  { keys: 'Shift-z', mode: 'command', command: 'redo' },
  { keys: 'Ctrl-Shift-Minus', mode: 'edit', command: 'split' },
  { keys: 'o', mode: 'command', command: 'toggleOutput' },
  { keys: 'Shift-o', mode: 'command', command: 'toggleOutputScroll' },
  { keys: 'Shift-r', mode: 'command', command: 'runStale' },
  { keys: 'c', mode: 'command', command: 'copyCells' },
  { keys: 'x', mode: 'command', command: 'cutCells' },
  { keys: 'v', mode: 'command', command: 'pasteBelow' },
  { keys: 'Shift-v', mode: 'command', command: 'pasteAbove' },
  { keys: 'Shift-l', mode: 'command', command: 'toggleLineNumbers' },
  { keys: 'Ctrl-Shift-f', mode: 'both', command: 'findInNotebook' },
  { keys: 'h', mode: 'command', command: 'showShortcuts' },
];

/** What each command does, in the words of the shortcut sheet (the `H` dialog). */
export const commandDescriptions: Record<NotebookCommand, string> = {
  enterEdit: 'Edit the selected cell',
  enterCommand: 'Leave the editor (command mode)',
  runSelectNext: 'Run, then select the next cell',
  runStay: 'Run, stay on the cell',
  runInsertBelow: 'Run, then insert a cell below',
  insertAbove: 'Insert a cell above',
  insertBelow: 'Insert a cell below',
  deleteCell: 'Delete the selected cell',
  toMarkdown: 'Make it a markdown cell',
  toCode: 'Make it a code cell',
  toRaw: 'Make it a raw cell',
  selectNext: 'Select the next cell',
  selectPrevious: 'Select the previous cell',
  extendNext: 'Extend the selection down',
  extendPrevious: 'Extend the selection up',
  moveUp: 'Move the cell up',
  moveDown: 'Move the cell down',
  mergeWithNext: 'Merge with the next cell',
  split: 'Split the cell at the cursor',
  undo: 'Undo my last change',
  redo: 'Redo',
  toggleOutput: 'Collapse or expand the outputs (for me)',
  toggleOutputScroll: 'Long outputs: scroll box or full height',
  runStale: 'Run the stale cells and what reads from them',
  copyCells: 'Copy the selected cells',
  cutCells: 'Cut the selected cells',
  pasteBelow: 'Paste cells below',
  pasteAbove: 'Paste cells above',
  toggleLineNumbers: 'Show or hide line numbers (for me)',
  findInNotebook: 'Find and replace in the notebook',
  showShortcuts: 'Show this list of shortcuts',
};

/** A chord as a person reads it: `Shift-Enter` → `Shift+Enter`, `d d` → `D, D`. */
export function displayKeys(keys: string): string {
  const names: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', Minus: '-' };
  return keys.split(' ').map((chord) => chord.split('-').map((part) => names[part] ?? (part.length === 1 ? part.toUpperCase() : part)).join('+')).join(', ');
}

/** The fields of a KeyboardEvent that decide a chord. */
export interface KeyLike {
  key: string;
  code?: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/**
 * A chord's name: modifiers in the order Ctrl, Alt, Shift, then the key. Letters
 * are lower case (Shift is spelled out); the minus key is `Minus` whatever the
 * layout makes Shift produce on it.
 */
export function chordOf(e: KeyLike): string {
  let key = e.code === 'Minus' ? 'Minus' : e.key;
  if (key.length === 1) key = key.toLowerCase();
  return `${e.ctrlKey || e.metaKey ? 'Ctrl-' : ''}${e.altKey ? 'Alt-' : ''}${e.shiftKey ? 'Shift-' : ''}${key}`;
}

/** How long the first key of a two-key sequence (D D) waits for the second. */
export const SEQUENCE_TIMEOUT_MS = 800;

export class KeyInterpreter {
  private pending: { chord: string; at: number } | null = null;

  constructor(private readonly table: readonly KeyBinding[] = keyTable, private readonly now: () => number = Date.now) {}

  /** The command for this key in this mode, or null (the key then belongs to whoever else wants it). */
  interpret(mode: NotebookMode, e: KeyLike): NotebookCommand | null {
    const chord = chordOf(e);
    const at = this.now();
    const previous = this.pending && at - this.pending.at <= SEQUENCE_TIMEOUT_MS ? this.pending.chord : null;
    this.pending = null;
    const applies = (b: KeyBinding) => b.mode === 'both' || b.mode === mode;
    if (previous) {
      const sequence = this.table.find((b) => applies(b) && b.keys === `${previous} ${chord}`);
      if (sequence) return sequence.command;
    }
    const single = this.table.find((b) => applies(b) && b.keys === chord);
    if (single) return single.command;
    if (this.table.some((b) => applies(b) && b.keys.startsWith(`${chord} `))) {
      this.pending = { chord, at };
    }
    return null;
  }

  /** True while the first key of a sequence waits (the key should not do anything else). */
  get waiting(): boolean {
    return this.pending !== null;
  }
}
