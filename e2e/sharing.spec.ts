// Sharing a notebook through a link: a guest with no account joins as a viewer,
// watches the owner type live but can neither type nor run; the owner makes the
// link an editor link and the guest can type at once, without reloading; the
// owner revokes the link and the guest is disconnected.
import { test, expect, type Page } from '@playwright/test';
import { cellEditor, createNotebookFromList, guestJoins, openNotebook, personIn } from './helpers';

/** A cell's source as shown, without collaborators' cursor labels. */
function sourceShown(page: Page, index: number): Promise<string> {
  return cellEditor(page, index).evaluate((content) => [...content.querySelectorAll('.cm-line')].map((line) => {
    const copy = line.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.cm-ySelectionCaret, .cm-ySelectionInfo').forEach((n) => n.remove());
    return (copy.textContent ?? '').replace(/\u2060/g, '');
  }).join('\n'));
}

async function createViewerLink(page: Page, id: string): Promise<string> {
  await page.goto(`/share/${id}`);
  await page.getByTestId('link-role').selectOption('viewer');
  await page.getByTestId('link-expiry').selectOption('24');
  await page.getByTestId('link-create').click();
  const link = await page.getByTestId('new-link').inputValue();
  expect(link).toMatch(/\/join\/[A-Za-z0-9_-]{43}$/);
  return link;
}

test('a guest joins a viewer link, watches live, cannot type or run, and can type once promoted, without a reload', async ({ browser }) => {
  const owner = await personIn(browser, 'Olga');
  const id = await createNotebookFromList(owner.page, `Workshop ${Date.now()}`);
  await openNotebook(owner.page, id);
  await cellEditor(owner.page, 0).click();
  await owner.page.keyboard.insertText('x = 1');

  // The share dialog in a second tab, so the owner's notebook stays open.
  const dialog = await owner.context.newPage();
  const link = await createViewerLink(dialog, id);

  // A guest: a browser with no account at all.
  const { context: guestContext, page: guest } = await guestJoins(browser, link, 'Grace');
  await expect(guest).toHaveURL(new RegExp(`/notebooks/${id}$`));
  await expect(guest.getByTestId('read-only')).toBeVisible();
  await expect.poll(() => sourceShown(guest, 0)).toBe('x = 1');

  // The owner sees the guest among the people present, with the role the server gave them.
  const graceSeenByOwner = owner.page.locator('[data-testid="presence-user"][data-user-name="Grace"]');
  await expect(graceSeenByOwner).toHaveAttribute('data-role', 'viewer');

  // Live typing reaches the guest.
  await cellEditor(owner.page, 0).click();
  await owner.page.keyboard.press('End');
  await owner.page.keyboard.insertText('\nprint(x)');
  await expect.poll(() => sourceShown(guest, 0)).toBe('x = 1\nprint(x)');

  // The guest can neither type nor run: no run controls, keys do nothing.
  await expect(guest.getByTestId('run-cell')).toHaveCount(0);
  await expect(guest.getByTestId('run-menu')).toHaveCount(0);
  await cellEditor(guest, 0).click();
  await guest.keyboard.type('HACK');
  await guest.keyboard.press('Shift+Enter');
  // A later edit of the owner's reaching the guest shows the guest's keys sent nothing before it.
  await cellEditor(owner.page, 0).click();
  await owner.page.keyboard.press('Control+End');
  await owner.page.keyboard.insertText('  # seen');
  await expect.poll(() => sourceShown(guest, 0)).toBe('x = 1\nprint(x)  # seen');
  expect(await sourceShown(owner.page, 0)).toBe('x = 1\nprint(x)  # seen');
  await expect(guest.getByTestId('cell').first().getByTestId('cell-prompt')).not.toContainText(/\d/);

  // The owner makes the link an editor link: the open guest page turns editable in place.
  // The change asks first; declined, the link keeps its role.
  await dialog.goto(`/share/${id}`);
  const asked: string[] = [];
  dialog.once('dialog', (question) => { asked.push(question.message()); void question.dismiss(); });
  await dialog.getByTestId('link-role-select').first().selectOption('editor');
  await expect.poll(() => asked).toEqual([expect.stringContaining('from viewer to editor? As an editor, they can edit and run it')]);
  await expect(dialog.getByTestId('link-role-select').first()).toHaveValue('viewer');
  await expect(guest.getByTestId('read-only')).toBeVisible();
  dialog.once('dialog', (question) => void question.accept());
  await dialog.getByTestId('link-role-select').first().selectOption('editor');
  await expect(guest.getByTestId('read-only')).toHaveCount(0);
  await expect(graceSeenByOwner).toHaveAttribute('data-role', 'editor');
  await expect(guest.getByTestId('run-cell')).toBeVisible();
  await cellEditor(guest, 0).click();
  await guest.keyboard.press('Control+End');
  await guest.keyboard.insertText('  # from Grace');
  await expect.poll(() => sourceShown(owner.page, 0)).toBe('x = 1\nprint(x)  # seen  # from Grace');

  // Revoking the link disconnects the guest at once, and the link stops working.
  await dialog.getByTestId('link-revoke').first().click();
  await expect(guest.getByTestId('notebook-closed')).toBeVisible();
  await guest.goto(link);
  await expect(guest.getByTestId('join-invalid')).toBeVisible();
  await guest.goto(`/notebooks/${id}`);
  await expect(guest.getByTestId('cell')).toHaveCount(0);

  await guestContext.close();
  await owner.context.close();
});

test('a signed-in stranger who guesses a notebook\'s address sees nothing of it, nor it in their list', async ({ browser }) => {
  const owner = await personIn(browser, 'Olga');
  const title = `Private ${Date.now()}`;
  const id = await createNotebookFromList(owner.page, title);
  await owner.context.close();
  const stranger = await personIn(browser, 'Mallory');
  const res = await stranger.page.goto(`/notebooks/${id}`);
  expect(res?.status()).toBe(404);
  await expect(stranger.page.getByText(title)).toHaveCount(0);
  expect((await stranger.page.request.get(`/api/notebooks/${id}/export`)).status()).toBe(404);
  await stranger.page.goto('/');
  await expect(stranger.page.getByTestId('notebook-row')).toHaveCount(0);
  await stranger.context.close();
});
