// Small things a Jupyter or Colab user expects without thinking: Create opens
// the new notebook; the list's "last change" moves when the notebook is
// edited; a result carries its Out[n] prompt for everyone; input() puts the
// cursor in its box.
import { test, expect } from '@playwright/test';
import { cellEditor, openNotebook, personIn, twoPeopleOnANewNotebook, typeAndRun } from './helpers';
import { cellAt } from './notebook-page';

const KERNEL_TIMEOUT = 60_000;

test('Create opens the new notebook, and its last change in the list moves when it is edited', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const title = `Opened at once ${Date.now()}`;
  await ada.page.goto('/');
  await ada.page.getByTestId('new-notebook-title').fill(title);
  await ada.page.getByTestId('create-notebook').click();
  await expect(ada.page).toHaveURL(/\/notebooks\/[^/?#]+$/);
  await expect(ada.page.getByTestId('notebook-title')).toHaveText(title);
  await expect(ada.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  const id = decodeURIComponent(new URL(ada.page.url()).pathname.split('/').pop()!);

  const list = await ada.context.newPage();
  await list.goto('/');
  const lastChange = list.locator(`[data-testid="notebook-row"][data-notebook-id="${id}"] time`);
  await expect(lastChange).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  const typedAt = Date.now();
  expect(Date.parse((await lastChange.getAttribute('datetime'))!)).toBeLessThan(typedAt);
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.insertText('edited = True');
  await expect.poll(async () => {
    await list.reload();
    return Date.parse((await lastChange.getAttribute('datetime'))!);
  }, { message: 'the list shows the edit as the last change' }).toBeGreaterThanOrEqual(typedAt);
  await expect(list.getByTestId('notebook-row').first()).toHaveAttribute('data-notebook-id', id);
  await ada.context.close();
});

test('a result carries Out[n] for everyone, and input() puts the cursor in its box', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Prompts');
  await typeAndRun(ada.page, 0, '6 * 7');
  for (const { page } of [ada, bob]) {
    await expect(cellAt(page, 0).getByTestId('output')).toContainText('42', { timeout: KERNEL_TIMEOUT });
    const count = (await cellAt(page, 0).getByTestId('cell-prompt').textContent())!.trim();
    expect(count).toMatch(/^\[\d+\]:$/);
    await expect(cellAt(page, 0).getByTestId('out-prompt')).toHaveText(`Out${count}`);
  }

  await typeAndRun(ada.page, 1, 'name = input("name?")');
  await expect(ada.page.getByTestId('stdin-input')).toBeFocused({ timeout: KERNEL_TIMEOUT });
  await ada.page.keyboard.type('Grace');
  await ada.page.keyboard.press('Enter');
  await expect(ada.page.getByTestId('stdin-input')).toHaveCount(0, { timeout: KERNEL_TIMEOUT });
  await typeAndRun(ada.page, 2, 'name');
  await expect(cellAt(bob.page, 2).getByTestId('output')).toContainText("'Grace'", { timeout: KERNEL_TIMEOUT });
  await openNotebook(bob.page, id); // kept in the document: there after a reload
  await expect(cellAt(bob.page, 2).getByTestId('out-prompt')).toHaveText(/^Out\[\d+\]:$/);
  for (const person of [ada, bob]) await person.context.close();
});

test('the title is renamed in the editor: everyone sees it at once, and it is stored', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Untitled');
  const title = `Results, final ${Date.now()}`;
  await ada.page.getByTestId('notebook-title').click();
  const input = ada.page.getByTestId('notebook-title-input');
  await expect(input).toBeFocused();
  await input.fill(title);
  await input.press('Enter');
  await expect(ada.page.getByTestId('notebook-title')).toHaveText(title);
  await expect(bob.page.getByTestId('notebook-title')).toHaveText(title);
  await expect(bob.page).toHaveTitle(new RegExp(`^${title}`)); // the tab's title too, for those who reload
  await bob.page.goto('/');
  await expect(bob.page.locator(`[data-testid="notebook-row"][data-notebook-id="${id}"]`)).toContainText(title);
  await openNotebook(bob.page, id);
  await expect(bob.page.getByTestId('notebook-title')).toHaveText(title);

  // A refused rename says why and changes nothing.
  await bob.page.getByTestId('notebook-title').click();
  await bob.page.getByTestId('notebook-title-input').fill('   ');
  await bob.page.getByTestId('notebook-title-input').press('Enter');
  await expect(bob.page.getByTestId('notebook-title-error')).toHaveText('Give the notebook a title.');
  await bob.page.getByTestId('notebook-title-input').press('Escape');
  await expect(ada.page.getByTestId('notebook-title')).toHaveText(title);
  for (const person of [ada, bob]) await person.context.close();
});
