// Comments in three browsers during a workshop: an attendee (a guest who joined
// through the attendee link as a commenter) asks about one line of a cell; the
// presenter sees the question in the presenter panel and answers it; the
// attendee sees the answer arrive live. The answer mentions a third person, a
// member: the mention shows in their notebook list and, with the thread and an
// unread count that goes once it was read, in the notebook.
import { test, expect } from '@playwright/test';
import { guestJoins, importNotebook, openNotebook, personIn, shareWith } from './helpers';
import { cellAt } from './notebook-page';

test('an attendee comments on a line, the presenter answers from the panel, everyone sees it live', async ({ browser }) => {
  const grace = await personIn(browser, 'Grace');
  const bob = await personIn(browser, 'Bob');
  const id = await importNotebook(grace.page, `comments-${Date.now()}`, [
    { id: 'intro', cell_type: 'markdown', source: '# Doubling' },
    { id: 'double', cell_type: 'code', source: 'x = 21\ny = x * 2\nprint(y)' },
  ]);
  await shareWith(grace.page, id, bob.email, 'editor');

  // Grace starts a workshop whose attendees may comment.
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('workshop-attendee-role-select').selectOption('commenter');
  await grace.page.getByTestId('start-workshop').click();
  const attendeeLink = await grace.page.getByTestId('workshop-attendee-link').inputValue();
  await openNotebook(grace.page, id);
  const { page: ada } = await guestJoins(browser, attendeeLink, 'Ada', 'commenter');
  await expect(ada.getByTestId('read-only')).toHaveText('comment only');

  // Ada selects the second line of the code cell and comments on it.
  const line = cellAt(ada, 1).locator('.cm-line').nth(1);
  await line.click({ clickCount: 3 });
  await cellAt(ada, 1).getByTestId('add-comment').click();
  await expect(cellAt(ada, 1).getByTestId('comment-draft')).toHaveAttribute('data-anchor-kind', 'source');
  await expect(cellAt(ada, 1).getByTestId('comment-draft').locator('q')).toHaveText('y = x * 2');
  await ada.getByTestId('new-comment-body').fill('Why `* 2` and not **+ x**?');
  await ada.getByTestId('new-comment-submit').click();
  const adaThread = cellAt(ada, 1).getByTestId('comment-thread');
  await expect(adaThread.getByTestId('thread-quote')).toHaveText('y = x * 2');
  // Rendered as markdown: inline code and bold, no raw asterisks.
  await expect(adaThread.getByTestId('comment-body').locator('code')).toHaveText('* 2');
  await expect(adaThread.getByTestId('comment-body').locator('strong')).toHaveText('+ x');

  // Grace sees the question in her presenter panel, next to the hands, and answers it there.
  const question = grace.page.locator('[data-testid="question"][data-user-name="Ada"]');
  await expect(question.getByTestId('question-text')).toHaveText('Why `* 2` and not **+ x**?');
  await expect(cellAt(grace.page, 1).getByTestId('comment-marker')).toHaveAttribute('data-count', '1');
  await expect(grace.page.getByTestId('comments-toggle')).toHaveAttribute('data-unread', '1');
  await question.getByTestId('answer-question').click();
  await question.getByTestId('reply-body').fill('Both work; `* 2` reads as *doubling*. Ask @Bo');
  await question.locator('[data-testid="mention-option"][data-user-name="Bob"]').click();
  await expect(question.getByTestId('reply-body')).toHaveValue('Both work; `* 2` reads as *doubling*. Ask @Bob ');
  await question.getByTestId('reply-submit').click();
  await expect(grace.page.getByTestId('comments-toggle')).toHaveAttribute('data-unread', '0');

  // Ada sees the answer live, without reloading.
  await expect(adaThread.getByTestId('comment')).toHaveCount(2);
  await expect(adaThread.getByTestId('comment').nth(1)).toHaveAttribute('data-author', 'Grace');
  await expect(adaThread.getByTestId('comment').nth(1).locator('em')).toHaveText('doubling');

  // Bob was mentioned: his notebook list says so before he opens the notebook.
  const bobsRow = bob.page.locator(`[data-testid="notebook-row"][data-notebook-id="${id}"]`);
  await expect(async () => {
    await bob.page.goto('/');
    await expect(bobsRow.getByTestId('notebook-mentions')).toHaveAttribute('data-count', '1', { timeout: 1000 });
  }).toPass();

  // In the notebook he has two unread comments, one mentioning him; the panel takes him to the thread, which he reads and resolves.
  await openNotebook(bob.page, id);
  await expect(bob.page.getByTestId('comments-mentions-me')).toHaveText('@1');
  await expect(bob.page.getByTestId('comments-toggle')).toHaveAttribute('data-unread', '2');
  await bob.page.getByTestId('comments-toggle').click();
  await bob.page.getByTestId('comments-panel-thread').first().getByRole('button').click();
  const bobThread = cellAt(bob.page, 1).getByTestId('comment-thread');
  await expect(bobThread.getByTestId('comment')).toHaveCount(2);
  await expect(bob.page.getByTestId('comments-toggle')).toHaveAttribute('data-unread', '0');
  await expect(bob.page.getByTestId('comments-mentions-me')).toHaveCount(0);
  await expect(bobThread.getByTestId('comment').nth(1)).toHaveAttribute('data-mentions-me', 'true');
  await bobThread.getByTestId('comment').nth(1).locator('[data-testid="comment-reaction"][data-emoji="👍"]').click();
  await expect(adaThread.getByTestId('comment').nth(1).locator('[data-testid="comment-reaction"][data-emoji="👍"]')).toHaveAttribute('data-count', '1');
  await bobThread.getByTestId('resolve-thread').click();
  await expect(adaThread).toHaveAttribute('data-resolved', 'true');
  await expect(question).toHaveCount(0);

  // Opening the notebook saw the mention: the list no longer counts it.
  await bob.page.goto('/');
  await expect(bobsRow).toHaveCount(1);
  await expect(bobsRow.getByTestId('notebook-mentions')).toHaveCount(0);

  // Comments leave the notebook only when asked: the plain download has none, the one "with comments" has the thread
  // under the cell's metadata; a copy carries them only with its "with comments" box ticked.
  await openNotebook(grace.page, id);
  const downloaded = async (testId: string) => {
    const href = (await grace.page.getByTestId(testId).getAttribute('href'))!;
    const nb = await (await grace.page.request.get(href)).json();
    return nb.cells.find((c: { id: string }) => c.id === 'double').metadata as Record<string, unknown>;
  };
  expect(await downloaded('download-ipynb')).not.toHaveProperty('cellmate');
  expect(JSON.stringify(await downloaded('download-ipynb-with-comments'))).toContain('Why `* 2` and not **+ x**?');
  await grace.page.goto(`/notebooks/${id}/versions`);
  await grace.page.getByTestId('fork-with-comments').check();
  await grace.page.getByTestId('fork-notebook').click();
  await grace.page.waitForURL((url) => /^\/notebooks\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(id));
  await expect(cellAt(grace.page, 1).getByTestId('comment-marker')).toHaveAttribute('data-count', '0');
  await cellAt(grace.page, 1).getByTestId('comment-marker').click();
  await expect(cellAt(grace.page, 1).getByTestId('comment-thread').getByTestId('thread-quote')).toHaveText('y = x * 2');
});
