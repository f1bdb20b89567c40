// The kernel's variables and memory, seen by everyone: one person runs a cell
// that makes a 100 MB array; the other opens the Variables panel and finds it
// at the top, sized as numpy says, and the kernel's memory beside its status.
// Real kernel bridge and ipykernel; every step waits for a condition.
import { test, expect } from '@playwright/test';
import { cellEditor, twoPeopleOnANewNotebook, typeAndRun } from './helpers';

const KERNEL_TIMEOUT = 60_000;

test('variables and memory reach the other person after a run, largest first, without using an execution count', async ({ browser }) => {
  const { ada, bob } = await twoPeopleOnANewNotebook(browser, 'Variables');

  const code = 'import numpy as np\nbig = np.ones((100 * 2**20) // 8)\nnames = ["a", "b", "c"]';
  await typeAndRun(ada.page, 0, code);
  await expect(bob.page.getByTestId('cell').nth(0).getByTestId('cell-prompt')).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });

  await bob.page.getByTestId('variables-toggle').click();
  const panel = bob.page.getByTestId('variables-panel');
  const rows = panel.getByTestId('variable-row');
  await expect(rows.first()).toHaveAttribute('data-name', 'big', { timeout: KERNEL_TIMEOUT });
  await expect(rows.first()).toHaveAttribute('data-size', String(100 * 2 ** 20));
  await expect(rows.first()).toContainText('100 MB');
  await expect(rows.first()).toContainText('dtype float64');
  await expect(panel.locator('[data-testid="variable-row"][data-name="names"]')).toContainText('len 3');

  const memory = bob.page.getByTestId('kernel-memory');
  await expect(memory).toBeVisible({ timeout: 20_000 });
  expect(Number(await memory.getAttribute('data-used'))).toBeGreaterThan(100 * 2 ** 20);
  await expect(memory).toHaveAttribute('data-level', 'ok');

  // The refresh was silent: the next run is [2].
  await cellEditor(ada.page, 1).click();
  await ada.page.keyboard.insertText('more = 1');
  await ada.page.keyboard.press('Shift+Enter');
  await expect(bob.page.getByTestId('cell').nth(1).getByTestId('cell-prompt')).toHaveText('[2]:', { timeout: KERNEL_TIMEOUT });
  await expect(panel.locator('[data-testid="variable-row"][data-name="more"]')).toHaveCount(1, { timeout: KERNEL_TIMEOUT });

  await ada.context.close();
  await bob.context.close();
});
