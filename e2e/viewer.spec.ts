// A viewer meets a read-only notebook that says so: a "view only" badge, no
// editing buttons on cells, editors that take no typing, and a word when they
// try something only an editor may do.
import { test, expect } from '@playwright/test';
import { personIn, openNotebook, shareWith, importNotebook } from './helpers';
import { cellAt, sourceOf } from './notebook-page';

test('a viewer sees a read-only notebook and is told when an action is not theirs', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const vic = await personIn(browser, 'Vic');
  const id = await importNotebook(ada.page, `Read me ${Date.now()}`, [
    { id: 'a', cell_type: 'code', source: 'x = 1' },
    { id: 'b', cell_type: 'markdown', source: '# Notes' },
  ]);
  await shareWith(ada.page, id, vic.email, 'viewer');
  await openNotebook(vic.page, id);
  const page = vic.page;

  await expect(page.getByTestId('read-only')).toHaveText(/view only/i);
  // No editing controls: no toolbar actions, no move/add/delete buttons on the selected cell.
  await cellAt(page, 0).getByTestId('cell-prompt').click();
  await expect(cellAt(page, 0)).toHaveAttribute('data-mode', 'command');
  for (const action of ['cell-action-move-up', 'cell-action-move-down', 'cell-action-add-below', 'cell-action-delete', 'add-cell-below', 'delete-cell']) {
    await expect(page.getByTestId(action)).toHaveCount(0);
  }
  await expect(cellAt(page, 0).locator('.cm-content')).toHaveAttribute('contenteditable', 'false');

  // Typing into a cell changes nothing and says why.
  await cellAt(page, 0).locator('.cm-content').click();
  await page.keyboard.type('y');
  const notice = page.getByTestId('read-only-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(/view only/i);
  expect(await sourceOf(page, 0)).toBe('x = 1');

  // Shift+Enter (running) and B (a new cell) say so too, and do nothing.
  await page.keyboard.press('Escape');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await page.keyboard.press('b');
  await expect(notice).toContainText(/add cells/i);
  await expect(page.getByTestId('cell')).toHaveCount(2);
  await page.keyboard.press('Shift+Enter');
  await expect(notice).toContainText(/run/i);
  // Double-clicking the markdown cell does not open an editor.
  await cellAt(page, 1).dblclick();
  await expect(cellAt(page, 1).getByTestId('markdown-rendered')).toBeVisible();
});
