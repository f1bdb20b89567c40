// Two people on one notebook: each sees the other's typing, cursor (with name and
// colour) and cell in the presence list; markdown renders with math; undo is
// personal; edits made offline merge on return; everything is in the database
// and comes back after a reload.
import { test, expect } from '@playwright/test';
import { personIn, createNotebookFromList, openNotebook, cellEditor, twoPeopleOnANewNotebook } from './helpers';
import { cellAt, expectSource, sourceOf, storedNotebook, storedSource } from './notebook-page';

test('two browsers type into one cell, see each other\'s cursors and presence, and the content persists', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Pairing');
  const firstCell = await cellAt(ada.page, 0).getAttribute('data-cell-id');

  // Ada types into the first cell; Bob sees it.
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.type('x = 40 + 2');
  await expectSource(bob.page, 0, 'x = 40 + 2');

  // Bob types at the end of the same line; both see both edits merged.
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.press('End');
  await bob.page.keyboard.type('  # answer');
  await expectSource(ada.page, 0, 'x = 40 + 2  # answer');
  await expectSource(bob.page, 0, 'x = 40 + 2  # answer');

  // Each sees the other's cursor in that cell, labelled with their name, in their colour.
  const bobsCaretAtAda = cellAt(ada.page, 0).locator('.cm-ySelectionCaret', { has: ada.page.locator('.cm-ySelectionInfo', { hasText: 'Bob' }) });
  await expect(bobsCaretAtAda).toHaveCount(1);
  await expect(cellAt(bob.page, 0).locator('.cm-ySelectionInfo', { hasText: 'Ada' })).toHaveCount(1);
  const bobAtAda = ada.page.locator('[data-testid="presence-user"][data-user-name="Bob"]');
  const caretColor = await bobsCaretAtAda.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await bobAtAda.locator('.avatar').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(caretColor);

  // The presence list shows both people, and the cell each is on.
  for (const page of [ada.page, bob.page]) await expect(page.getByTestId('presence-user')).toHaveCount(2);
  await expect(bobAtAda).toHaveAttribute('data-cell-id', firstCell!);

  // Bob adds a markdown cell below and writes text with inline and display math.
  await bob.page.keyboard.press('Escape');
  await expect(cellAt(bob.page, 0)).toHaveAttribute('data-mode', 'command');
  // Out of the editor, Bob's text cursor is no longer shown to Ada.
  await expect(cellAt(ada.page, 0).locator('.cm-ySelectionInfo', { hasText: 'Bob' })).toHaveCount(0);
  await bob.page.keyboard.press('b');
  await expect(ada.page.getByTestId('cell')).toHaveCount(2);
  await bob.page.keyboard.press('m');
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-cell-type', 'markdown');
  await bob.page.keyboard.press('Enter');
  const markdown = '# Results\n\nThe answer is $x^2$, and\n\n$$\\sum_{i=1}^{n} i$$\n\n| a | b |\n|---|---|\n| 1 | 2 |';
  await bob.page.keyboard.insertText(markdown);
  const secondCell = await cellAt(bob.page, 1).getAttribute('data-cell-id');
  await expect(bobAtAda).toHaveAttribute('data-cell-id', secondCell!);
  await bob.page.keyboard.press('Shift+Enter');

  // Ada sees it rendered: heading, KaTeX inline and display math, a GitHub table.
  const rendered = cellAt(ada.page, 1).getByTestId('markdown-rendered');
  await expect(rendered.locator('h1')).toContainText('Results');
  await expect(rendered.locator('.katex')).toHaveCount(2);
  await expect(rendered.locator('.katex-display')).toHaveCount(1);
  await expect(rendered.locator('table td')).toHaveText(['1', '2']);
  // Shift+Enter on the last cell made a new one for Bob to go on with, as in Jupyter.
  await expect(ada.page.getByTestId('cell')).toHaveCount(3);

  // The database has exactly what both see.
  await expect.poll(() => storedNotebook(id).cells.map((c) => [c.cell_type, storedSource(c)])).toEqual([
    ['code', 'x = 40 + 2  # answer'], ['markdown', markdown], ['code', ''],
  ]);

  // Everything is still there after a reload.
  await ada.page.reload();
  await expect(ada.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expectSource(ada.page, 0, 'x = 40 + 2  # answer');
  await expect(cellAt(ada.page, 1).getByTestId('markdown-rendered').locator('h1')).toContainText('Results');
  await expect(ada.page.getByTestId('cell')).toHaveCount(3);

  // Outside a live workshop nobody raises hands, with others present or alone.
  await expect(ada.page.getByTestId('raise-hand')).toHaveCount(0);
  await bob.context.close();
  await expect(ada.page.getByTestId('workshop-dock')).toBeHidden();
  await ada.context.close();
});

test('undo reverts only my own typing, never a collaborator\'s', async ({ browser }) => {
  const { ada, bob } = await twoPeopleOnANewNotebook(browser, 'Undo');

  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.type('mine');
  await expectSource(bob.page, 0, 'mine');
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.press('End');
  await bob.page.keyboard.type(' theirs');
  await expectSource(ada.page, 0, 'mine theirs');

  // Ada's undo takes out her word and leaves Bob's.
  await ada.page.getByTestId('undo').click();
  await expectSource(ada.page, 0, ' theirs');
  await expectSource(bob.page, 0, ' theirs');

  // Bob's undo (his editor's Ctrl+Z) takes out his own, not Ada's redo.
  await ada.page.getByTestId('redo').click();
  await expectSource(bob.page, 0, 'mine theirs');
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.press('Control+z');
  await expectSource(ada.page, 0, 'mine');
  await expectSource(bob.page, 0, 'mine');

  await ada.context.close();
  await bob.context.close();
});

test('edits made offline merge on reconnect with what others did meanwhile, nothing lost or doubled', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Offline');
  const state = ada.page.getByTestId('connection-state');

  await ada.context.setOffline(true);
  await expect(state).toHaveAttribute('data-state', 'offline');
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.type('offline work');
  await expect(state).not.toHaveAttribute('data-unsynced', '0');
  await expect(state).toContainText(/offline · \d+ unsynced change/);

  // Bob goes on meanwhile and does not see Ada's offline typing.
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.type('online ');
  await expectSource(bob.page, 0, 'online ');
  expect(await sourceOf(ada.page, 0)).toBe('offline work');

  await ada.context.setOffline(false);
  await expect(state).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(state).toHaveAttribute('data-unsynced', '0');

  // Both converge on one text holding each edit exactly once.
  const merged = ['offline workonline ', 'online offline work'];
  await expect.poll(() => sourceOf(ada.page, 0)).toMatch(/^(offline workonline |online offline work)$/);
  const text = await sourceOf(ada.page, 0);
  expect(merged).toContain(text);
  await expectSource(bob.page, 0, text);
  await expect.poll(() => storedNotebook(id).cells.map(storedSource)).toEqual([text]);

  await ada.context.close();
  await bob.context.close();
});

test('a notebook deleted while it is open says so and stops syncing', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Ada');
  const id = await createNotebookFromList(page, `Doomed ${Date.now()}`);
  await openNotebook(page, id);

  const list = await context.newPage();
  await list.goto('/');
  list.once('dialog', (dialog) => void dialog.accept());
  const row = list.locator(`[data-testid="notebook-row"][data-notebook-id="${id}"]`);
  await row.getByTestId('delete-notebook').click();
  await expect(row).toHaveCount(0);

  // The next edit finds the notebook gone: the page says so instead of retrying forever.
  await cellEditor(page, 0).click();
  await page.keyboard.type('too late');
  await expect(page.getByTestId('notebook-closed')).toContainText('deleted');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'closed');
  await context.close();
});
