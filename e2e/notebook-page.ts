// Reading a notebook page the way a person does: a cell's source as its editor
// shows it (without the name labels of collaborators' cursors, which CodeMirror
// draws inside the text), which cells exist in which order, and what the
// database holds for a notebook, read with the project's own CLI.
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** The n-th cell (0-based). */
export const cellAt = (page: Page, index: number) => page.getByTestId('cell').nth(index);

/** The n-th cell's source as shown: its editor's lines, else its plain-text stand-in. */
export async function sourceOf(page: Page, index: number): Promise<string> {
  return cellAt(page, index).evaluate((cell) => {
    const content = cell.querySelector('.cm-content');
    if (!content) return cell.querySelector('[data-testid="source-preview"]')?.textContent ?? '';
    return Array.from(content.querySelectorAll(':scope > .cm-line'), (line) => {
      const copy = line.cloneNode(true) as Element;
      copy.querySelectorAll('.cm-ySelectionCaret, .cm-placeholder').forEach((widget) => widget.remove());
      return copy.textContent ?? '';
    }).join('\n');
  });
}

/** Waits until the n-th cell shows exactly `text`. */
export async function expectSource(page: Page, index: number, text: string, timeout?: number): Promise<void> {
  await expect.poll(() => sourceOf(page, index), { timeout, message: `source of cell ${index}` }).toBe(text);
}

/** Waits until the page shows these cell sources in this order (a rendered markdown cell reads as ''). */
export async function expectSources(page: Page, sources: string[], timeout?: number): Promise<void> {
  await expect.poll(async () => {
    const count = await page.getByTestId('cell').count();
    const shown: string[] = [];
    for (let i = 0; i < count; i++) shown.push(await sourceOf(page, i));
    return shown;
  }, { timeout, message: 'cell sources in order' }).toEqual(sources);
}

/** The data folder of the product the tests run against (playwright.config.ts sets it). */
export function e2eDataDir(): string {
  return process.env.E2E_DATA_DIR ?? join(root, 'test-results', 'e2e-data');
}

/** The notebook as stored in the database, exported by `nb export`. */
export function storedNotebook(id: string): { cells: { id: string; cell_type: string; source: string | string[] }[] } {
  const out = execFileSync(process.execPath, [join(root, 'cli', 'nb.mjs'), 'export', id, '--format', 'ipynb'], {
    env: { ...process.env, CELLMATE_DATA_DIR: e2eDataDir() },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** A stored cell's source as one string (files may keep it as a list of lines). */
export const storedSource = (cell: { source: string | string[] }): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
