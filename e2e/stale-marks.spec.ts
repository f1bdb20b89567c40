// Stale marks, seen by everyone at once: two people, one shared kernel. When
// one re-runs an upstream cell, the other sees the downstream cell's mark turn
// stale with its reason; "Run stale cells" (menu or Shift+R) makes every cell
// fresh again, and the run record under each cell says who ran it. Against the
// real kernel bridge and ipykernel; every step waits for a condition.
import { test, expect, type Page } from '@playwright/test';
import { cellEditor, twoPeopleOnANewNotebook, typeAndRun } from './helpers';

const KERNEL_TIMEOUT = 60_000;

const cell = (page: Page, index: number) => page.getByTestId('cell').nth(index);
const mark = (page: Page, index: number) => cell(page, index).getByTestId('stale-mark');
const prompt = (page: Page, index: number) => cell(page, index).getByTestId('cell-prompt');

test('a re-run upstream cell makes the downstream cell stale for the other person; Run stale cells makes all fresh', async ({ browser }) => {
  const { ada, bob } = await twoPeopleOnANewNotebook(browser, 'Stale marks');

  await typeAndRun(ada.page, 0, 'x = 1');
  await typeAndRun(ada.page, 1, 'print(x)');
  for (const { page } of [ada, bob]) {
    await expect(prompt(page, 1)).toHaveText('[2]:', { timeout: KERNEL_TIMEOUT });
    await expect(mark(page, 0)).toHaveAttribute('data-state', 'fresh');
    await expect(mark(page, 1)).toHaveAttribute('data-state', 'fresh');
    await expect(cell(page, 1).getByTestId('run-record')).toContainText('by Ada');
    await expect(cell(page, 1).getByTestId('run-record')).toContainText(/^ran .* · took [\d.]+ s · by Ada$/);
  }

  // Ada re-runs the upstream cell: Bob sees the cell that reads x turn stale, and why.
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.press('Control+Enter');
  await expect(prompt(bob.page, 0)).toHaveText('[3]:', { timeout: KERNEL_TIMEOUT });
  await expect(mark(bob.page, 1)).toHaveAttribute('data-state', 'stale');
  await expect(mark(bob.page, 1)).toHaveAttribute('title', /depends on cell 1 \(x\), re-run since/);
  // The re-run cell itself now ran after a cell below it: marked out of order.
  await expect(mark(bob.page, 0)).toHaveText(/out of order/);
  await expect(mark(bob.page, 0)).toHaveAttribute('title', /ran after a cell below it/);

  // Bob runs the stale cells from the Run menu, top to bottom: everything is fresh again, for both.
  await bob.page.getByTestId('run-menu').click();
  await bob.page.getByTestId('run-stale').click();
  for (const { page } of [ada, bob]) {
    await expect(prompt(page, 1)).toHaveText('[5]:', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(page, 0)).toHaveText('[4]:');
    await expect(mark(page, 0)).toHaveAttribute('data-state', 'fresh');
    await expect(mark(page, 1)).toHaveAttribute('data-state', 'fresh');
    await expect(cell(page, 1).getByTestId('run-record')).toContainText('by Bob');
  }

  // An edit makes a cell stale; Shift+R in command mode runs it.
  await cellEditor(ada.page, 1).click();
  await ada.page.keyboard.press('End');
  await ada.page.keyboard.insertText(' # again');
  await expect(mark(bob.page, 1)).toHaveAttribute('title', /edited since it ran/);
  await ada.page.keyboard.press('Escape');
  await ada.page.keyboard.press('Shift+R');
  for (const { page } of [ada, bob]) {
    await expect(prompt(page, 1)).toHaveText('[6]:', { timeout: KERNEL_TIMEOUT });
    await expect(mark(page, 1)).toHaveAttribute('data-state', 'fresh');
  }
  // Only the edited cell ran.
  await expect(prompt(ada.page, 0)).toHaveText('[4]:');

  await ada.context.close();
  await bob.context.close();
});
