// Cell structure edited from the toolbar by one person and watched by another:
// insert above/below, move, delete, change type, split, merge, and undo of a
// structural change. After each step both browsers show the same cells in the
// same order, and at the end the database holds them too.
import { test, expect, type Page } from '@playwright/test';
import { cellEditor, twoPeopleOnANewNotebook } from './helpers';
import { cellAt, expectSources, storedNotebook, storedSource } from './notebook-page';

/** Selects a cell in command mode by clicking its prompt area. */
async function select(page: Page, index: number): Promise<void> {
  await cellAt(page, index).getByTestId('cell-prompt').click();
  await expect(cellAt(page, index)).toHaveAttribute('data-mode', 'command');
}

/** Types into a cell's editor as a paste would (no auto-indent or bracket closing). */
async function write(page: Page, index: number, text: string): Promise<void> {
  await cellEditor(page, index).click();
  await page.keyboard.insertText(text);
}

test('toolbar cell operations reach the other browser and the database', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Structure');
  const both = async (sources: string[]) => {
    await expectSources(ada.page, sources);
    await expectSources(bob.page, sources);
  };
  const toolbar = (testId: string) => ada.page.getByTestId(testId).click();

  // Insert below and above the selected cell.
  await write(ada.page, 0, 'one');
  await toolbar('add-cell-below');
  await write(ada.page, 1, 'three');
  await toolbar('add-cell-above');
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'command');
  await write(ada.page, 1, 'two');
  await both(['one', 'two', 'three']);

  // Move down, then up again.
  await select(ada.page, 0);
  await toolbar('move-cell-down');
  await both(['two', 'one', 'three']);
  await toolbar('move-cell-up');
  await both(['one', 'two', 'three']);

  // Delete the middle one.
  await select(ada.page, 1);
  await toolbar('delete-cell');
  await both(['one', 'three']);

  // Change type: raw keeps the text; markdown renders it; back to code.
  await select(ada.page, 1);
  await ada.page.getByTestId('cell-type-select').selectOption('raw');
  await expect(cellAt(bob.page, 1)).toHaveAttribute('data-cell-type', 'raw');
  await both(['one', 'three']);
  await ada.page.getByTestId('cell-type-select').selectOption('markdown');
  await expect(cellAt(bob.page, 1)).toHaveAttribute('data-cell-type', 'markdown');
  await expect(cellAt(bob.page, 1).getByTestId('markdown-rendered')).toHaveText('three');
  await ada.page.getByTestId('cell-type-select').selectOption('code');
  await expect(cellAt(bob.page, 1)).toHaveAttribute('data-cell-type', 'code');
  await both(['one', 'three']);

  // Split the first cell at the start of its second line.
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.press('End');
  await ada.page.keyboard.insertText('\nfirst half\nsecond half');
  await ada.page.keyboard.press('Home');
  await toolbar('split-cell');
  await both(['one\nfirst half', 'second half', 'three']);

  // Merge it back with the next cell.
  await select(ada.page, 0);
  await toolbar('merge-cell');
  await both(['one\nfirst half\nsecond half', 'three']);

  // Undo takes back the whole merge at once, for everyone.
  await toolbar('undo');
  await both(['one\nfirst half', 'second half', 'three']);

  await expect.poll(() => storedNotebook(id).cells.map((c) => [c.cell_type, storedSource(c)])).toEqual([
    ['code', 'one\nfirst half'], ['code', 'second half'], ['code', 'three'],
  ]);

  await ada.context.close();
  await bob.context.close();
});
