// Jupyter's keyboard model in the browser: command mode vs edit mode, and the
// command-mode keys that insert, delete, retype, select, merge and undo, plus
// Shift/Ctrl/Alt+Enter's moves. Run keys are pressed on raw and markdown cells,
// which never reach a kernel, so only the selection behaviour is under test here.
import { test, expect, type Page } from '@playwright/test';
import { personIn, createNotebookFromList, openNotebook } from './helpers';
import { cellAt, expectSource, expectSources, storedNotebook, storedSource } from './notebook-page';

/** Index of the selected cell and its mode, as the page marks them. */
async function selected(page: Page): Promise<{ index: number; mode: string | null }> {
  return page.getByTestId('cell').evaluateAll((cells) => {
    const index = cells.findIndex((c) => c.hasAttribute('data-mode'));
    return { index, mode: index < 0 ? null : cells[index].getAttribute('data-mode') };
  });
}

const expectSelected = (page: Page, index: number, mode: 'command' | 'edit') =>
  expect.poll(() => selected(page), { message: `cell ${index} selected in ${mode} mode` }).toEqual({ index, mode });

test('command and edit mode keys do what Jupyter\'s do', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Ada');
  const id = await createNotebookFromList(page, `Keys ${Date.now()}`);
  await openNotebook(page, id);
  const cells = page.getByTestId('cell');
  const press = (key: string) => page.keyboard.press(key);

  // The first cell starts selected in command mode; Enter edits it, Escape leaves the editor.
  await expectSelected(page, 0, 'command');
  await press('Enter');
  await expectSelected(page, 0, 'edit');
  await expect(cellAt(page, 0).locator('.cm-editor.cm-focused')).toHaveCount(1);
  await page.keyboard.type('first');
  await press('Escape');
  await expectSelected(page, 0, 'command');
  await expectSource(page, 0, 'first');
  // In command mode letters are commands, not typing: B inserts below and selects it.
  await press('b');
  await expect(cells).toHaveCount(2);
  await expectSelected(page, 1, 'command');
  await expectSource(page, 0, 'first');
  // A inserts above the selected cell.
  await press('a');
  await expect(cells).toHaveCount(3);
  await expectSelected(page, 1, 'command');

  // J/K and the arrows move the selection.
  await press('k');
  await expectSelected(page, 0, 'command');
  await press('j');
  await expectSelected(page, 1, 'command');
  await press('ArrowDown');
  await expectSelected(page, 2, 'command');
  await press('ArrowUp');
  await expectSelected(page, 1, 'command');

  // D D deletes the selected cell; the one below takes its place.
  await press('d');
  await expect(cells).toHaveCount(3);
  await press('d');
  await expect(cells).toHaveCount(2);
  await expectSelected(page, 1, 'command');

  // M, R and Y change the type.
  await press('m');
  await expect(cellAt(page, 1)).toHaveAttribute('data-cell-type', 'markdown');
  await press('r');
  await expect(cellAt(page, 1)).toHaveAttribute('data-cell-type', 'raw');
  await press('y');
  await expect(cellAt(page, 1)).toHaveAttribute('data-cell-type', 'code');
  await press('r');
  await expect(cellAt(page, 1)).toHaveAttribute('data-cell-type', 'raw');

  // Shift+Enter on the last cell: a new cell below, in edit mode.
  await press('Enter');
  await page.keyboard.type('raw text');
  await press('Shift+Enter');
  await expect(cells).toHaveCount(3);
  await expectSelected(page, 2, 'edit');
  // Ctrl+Enter stays on the cell and leaves edit mode (a markdown cell renders).
  await press('Escape');
  await press('m');
  await press('Enter');
  await page.keyboard.type('m');
  await press('Control+Enter');
  await expectSelected(page, 2, 'command');
  await expect(cellAt(page, 2).getByTestId('markdown-rendered')).toHaveText('m');
  // Shift+Enter on a cell that is not the last selects the next one.
  await press('k');
  await press('Shift+Enter');
  await expectSelected(page, 2, 'command');
  await expect(cells).toHaveCount(3);
  // Alt+Enter inserts a cell below and edits it.
  await press('Alt+Enter');
  await expect(cells).toHaveCount(4);
  await expectSelected(page, 3, 'edit');
  await page.keyboard.type('last');
  await press('Escape');
  await expectSelected(page, 3, 'command');

  // Shift+M merges the selected cell with the one below; Z undoes it; Shift+Z redoes it.
  await press('k');
  await expectSelected(page, 2, 'command');
  await press('Shift+M');
  await expect(cells).toHaveCount(3);
  await press('z');
  await expect(cells).toHaveCount(4);
  await press('Shift+Z');
  await expect(cells).toHaveCount(3);
  await press('z');
  await expect(cells).toHaveCount(4);

  // Ctrl+Shift+Minus splits the cell being edited at the cursor.
  await press('ArrowDown');
  await expectSelected(page, 3, 'command');
  await press('Enter');
  await press('End');
  await page.keyboard.type(' part');
  await press('Home');
  await press('ArrowRight');
  await press('ArrowRight');
  await press('ArrowRight');
  await press('ArrowRight');
  await press('Control+Shift+Minus');
  await expect(cells).toHaveCount(5);
  await expectSelected(page, 4, 'edit');
  await expectSources(page, ['first', 'raw text', '', 'last', ' part']);

  // Double-clicking a rendered markdown cell edits it; Escape renders it again.
  await cellAt(page, 2).getByTestId('markdown-rendered').dblclick();
  await expectSelected(page, 2, 'edit');
  await expectSource(page, 2, 'm');
  await press('Escape');
  await expect(cellAt(page, 2).getByTestId('markdown-rendered')).toHaveText('m');
  // Code cells are highlighted as the notebook's language (Python); raw cells are plain text.
  await expect(cellAt(page, 0).locator('.cm-content')).toHaveAttribute('data-language', 'python');
  await expect(cellAt(page, 1).locator('.cm-content')).not.toHaveAttribute('data-language', 'python');

  await expect.poll(() => storedNotebook(id).cells.map((c) => [c.cell_type, storedSource(c)])).toEqual([
    ['code', 'first'], ['raw', 'raw text'], ['markdown', 'm'], ['code', 'last'], ['code', ' part'],
  ]);
  await context.close();
});
