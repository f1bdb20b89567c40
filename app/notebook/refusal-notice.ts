// What a person was just refused, in words: a viewer who types into a cell,
// presses Shift+Enter or B gets a sentence saying the notebook is view only and
// what they tried, instead of a key that silently does nothing. One message at a
// time; the newest replaces the last.
import { ObservableValue } from '../hooks/observable-value';
import type { NotebookCommand } from './keyboard';

/** What was refused, for the sentence. */
export type RefusedAction = 'type' | 'run' | 'add' | 'change';

const SENTENCES: Record<RefusedAction, string> = {
  type: 'This notebook is view only for you: you cannot type in its cells.',
  run: 'This notebook is view only for you: only its editors can run cells.',
  add: 'This notebook is view only for you: you cannot add cells.',
  change: 'This notebook is view only for you: you cannot change, move or delete cells.',
};

/** The refused action a notebook command stands for. */
export function refusedActionOf(command: NotebookCommand | 'insert'): RefusedAction {
  if (command === 'runSelectNext' || command === 'runStay' || command === 'runInsertBelow' || command === 'runStale') return 'run';
  if (command === 'insert' || command === 'insertAbove' || command === 'insertBelow' || command === 'pasteAbove' || command === 'pasteBelow') return 'add';
  if (command === 'enterEdit') return 'type';
  return 'change';
}

export class RefusalNotice extends ObservableValue<string | null> {
  constructor() {
    super(null);
  }

  get message(): string | null {
    return this.value;
  }

  refuse(action: RefusedAction): void {
    this.set(SENTENCES[action]);
  }

  /** Any other action that could not be done, with its reason (e.g. cells too large to copy). */
  tell(message: string): void {
    this.set(message);
  }

  dismiss(): void {
    this.set(null);
  }
}
