// The cell clipboard (C / X / V / Shift+V): whole cells with their type,
// source, metadata, execution count and outputs, as Jupyter copies them. It
// lives in this browser's localStorage, not in a page, so cells copied in one
// notebook paste into another after navigating there (or in another tab).
//
// What is read back is treated as foreign input: another version of the app or
// another tab may have left anything under the key. It is bounded in size, its
// shape checked, and every cell checked against the nbformat schema of the
// target notebook before a single one is inserted (the check loads lazily, so
// opening a notebook never pays for it). Pasted cells get new ids, so pasting
// twice, or back into the notebook they came from, never duplicates an id.
import * as Y from 'yjs';
import { cellIdOf, cellsOf, cellToJSON, createCell, type CellType } from '../../notebook-model';
import type { CellJSON } from '../../notebook-model/nbformat/types';
import type { KeyValueStorage } from './cell-view-store';

const STORAGE_KEY = 'cellmate:cell-clipboard';
/** Written with every copy; a clipboard in another format is refused, not guessed at. */
const FORMAT = 'cellmate-cells/1';
/** Beyond this the copy is refused (localStorage holds about 5 MB per site). */
export const MAX_CLIPBOARD_CHARS = 4_000_000;
export const MAX_CLIPBOARD_CELLS = 2_000;

/** Why a copy or paste did not happen, in words a person can act on. */
export class ClipboardProblem extends Error {}

/** The JSON of these cells, in notebook order (outputs without the kernel's display ids). */
export function cellsForClipboard(doc: Y.Doc, ids: readonly string[]): CellJSON[] {
  const wanted = new Set(ids);
  return cellsOf(doc).toArray().filter((cell) => wanted.has(cellIdOf(cell))).map((cell) => cellToJSON(cell));
}

export class CellClipboard {
  constructor(private readonly storage: KeyValueStorage | null = browserStorage()) {}

  /** Keeps these cells for a later paste; throws ClipboardProblem when they cannot be kept. */
  write(cells: CellJSON[]): void {
    if (cells.length === 0) throw new ClipboardProblem('Select a cell to copy.');
    const text = JSON.stringify({ format: FORMAT, cells });
    if (text.length > MAX_CLIPBOARD_CHARS || cells.length > MAX_CLIPBOARD_CELLS) {
      throw new ClipboardProblem(`These cells are too large to copy (more than ${MAX_CLIPBOARD_CELLS} cells or ${MAX_CLIPBOARD_CHARS / 1_000_000} MB); clear their outputs or copy fewer.`);
    }
    try {
      this.storage?.setItem(STORAGE_KEY, text);
    } catch {
      throw new ClipboardProblem('The browser refused to keep the copied cells (its storage for this site is full).');
    }
  }

  /** The copied cells, checked against the nbformat schema of `target`; throws ClipboardProblem. */
  async read(target: Y.Doc): Promise<CellJSON[]> {
    const text = this.storage?.getItem(STORAGE_KEY) ?? null;
    if (text === null) throw new ClipboardProblem('Nothing to paste: copy cells first (C or X).');
    if (text.length > MAX_CLIPBOARD_CHARS) throw new ClipboardProblem('The copied cells are too large to paste.');
    return checkedCells(parse(text), target);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ClipboardProblem('The copied cells are damaged; copy them again.');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const cellTypeNames: readonly CellType[] = ['code', 'markdown', 'raw'];

/** Shape first (so building a cell cannot throw), then the nbformat schema, cell by cell. */
async function checkedCells(payload: unknown, target: Y.Doc): Promise<CellJSON[]> {
  const damaged = (why: string) => new ClipboardProblem(`The copied cells cannot be pasted: ${why}.`);
  if (!isObject(payload) || payload.format !== FORMAT || !Array.isArray(payload.cells)) throw damaged('they were copied by another version of Cellmate');
  const cells = payload.cells as unknown[];
  if (cells.length === 0 || cells.length > MAX_CLIPBOARD_CELLS) throw damaged(`there must be 1 to ${MAX_CLIPBOARD_CELLS} cells`);
  cells.forEach((cell, i) => {
    if (!isObject(cell) || !cellTypeNames.includes(cell.cell_type as CellType)) throw damaged(`cell ${i + 1} has no known type`);
    const source = cell.source;
    if (typeof source !== 'string' && !(Array.isArray(source) && source.every((s) => typeof s === 'string'))) throw damaged(`cell ${i + 1} has no source text`);
    if (cell.metadata !== undefined && !isObject(cell.metadata)) throw damaged(`cell ${i + 1} has malformed metadata`);
    if (cell.cell_type === 'code' && cell.outputs !== undefined && !(Array.isArray(cell.outputs) && cell.outputs.every(isObject))) throw damaged(`cell ${i + 1} has malformed outputs`);
  });
  const { cellProblems, minorOf } = await import('../../notebook-model/schema-check');
  const minor = minorOf(target);
  // Checked as they would live in the notebook: built inside a scratch document.
  const scratch = new Y.Doc();
  const list = scratch.getArray<Y.Map<unknown>>('cells');
  list.insert(0, cells.map((cell) => createCell(withoutId(cell as CellJSON))));
  for (let i = 0; i < list.length; i++) {
    const problems = cellProblems(list.get(i), `cell ${i + 1}`, minor);
    if (problems.length) throw damaged(`${problems[0].path} ${problems[0].problem}`);
  }
  scratch.destroy();
  return cells as CellJSON[];
}

/** The cell as pasted: a fresh id is minted for it (createCell does so when none is given). */
export function withoutId(cell: CellJSON): CellJSON {
  const copy = { ...cell } as Partial<CellJSON>;
  delete copy.id;
  return copy as CellJSON;
}

/** Inserts the cells at `index`, in one transaction with `origin`; returns their new ids. */
export function pasteCells(doc: Y.Doc, index: number, cells: readonly CellJSON[], origin: unknown): string[] {
  const maps = cells.map((cell) => createCell(withoutId(cell)));
  doc.transact(() => cellsOf(doc).insert(Math.max(0, Math.min(index, cellsOf(doc).length)), maps), origin);
  return maps.map(cellIdOf);
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}
