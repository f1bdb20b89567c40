// Comments from readers of a published page: off by default (the page offers
// no form); once the owner allows them, a signed-in reader picks a cell and
// writes to the author, who sees the comment live in the open notebook, on
// that cell, under the reader's name.
import { test, expect } from '@playwright/test';
import { importNotebook, openNotebook, personIn } from './helpers';
import { cellAt } from './notebook-page';

test('a signed-in reader comments on a published cell once the owner allows it; the author sees it live', async ({ browser }) => {
  const olga = await personIn(browser, 'Olga');
  const id = await importNotebook(olga.page, `published comments ${Date.now()}`, [
    { id: 'intro', cell_type: 'markdown', source: '# A study' },
    { id: 'fit', cell_type: 'code', source: 'model.fit(x, y)' },
  ]);
  await olga.page.goto(`/notebooks/${id}/versions`);
  await olga.page.getByTestId('version-name').fill('For readers');
  await olga.page.getByTestId('quick-save').click();
  const row = olga.page.getByTestId('version-row').filter({ hasText: 'For readers' });
  await row.getByTestId('publish').click();
  const path = await row.getByTestId('published-link').getAttribute('href');

  const rita = await personIn(browser, 'Rita');
  await rita.page.goto(path!);
  await expect(rita.page.getByTestId('saved-cells')).toBeVisible();
  await expect(rita.page.getByTestId('reader-comments')).toHaveCount(0);

  // A controlled box: it shows the stored setting once the list was reloaded.
  await row.getByTestId('reader-comments-setting').click();
  await expect(row.getByTestId('reader-comments-setting')).toBeChecked();
  await openNotebook(olga.page, id);

  await rita.page.reload();
  await rita.page.getByTestId('reader-comment-cell').selectOption('fit');
  await rita.page.getByTestId('reader-comment-body').fill('Which **optimizer** does this use?');
  await rita.page.getByTestId('reader-comment-submit').click();
  await expect(rita.page.getByTestId('reader-comment-sent')).toBeVisible();

  const marker = cellAt(olga.page, 1).getByTestId('comment-marker');
  await expect(marker).toHaveAttribute('data-count', '1');
  await expect(olga.page.getByTestId('comments-toggle')).toHaveAttribute('data-unread', '1');
  await marker.click();
  const comment = cellAt(olga.page, 1).getByTestId('comment');
  await expect(comment).toHaveAttribute('data-author', 'Rita');
  await expect(comment.getByTestId('comment-body').locator('strong')).toHaveText('optimizer');
});
