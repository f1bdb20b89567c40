// Long outputs and collapsing, as in Jupyter: 3,000 printed lines scroll inside
// a bounded box (a toggle shows them at full height), and a person can collapse
// a cell's input or its outputs (the bar at the left, or `O` in command mode).
// Collapsing is this person's view only: collaborators still see everything,
// and nothing of it is written into the notebook.
import { test, expect, type Page } from '@playwright/test';
import { personIn, openNotebook, shareWith, importNotebook } from './helpers';
import { cellAt, storedNotebook } from './notebook-page';

const lines = Array.from({ length: 3000 }, (_, i) => `line ${i + 1}\n`).join('');

async function longOutputNotebook(page: Page): Promise<string> {
  return importNotebook(page, `Long output ${Date.now()}`, [
    { id: 'long', cell_type: 'code', source: 'for i in range(3000): print("line", i + 1)', execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: lines }] },
    { id: 'after', cell_type: 'code', source: 'x = 1', execution_count: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: 'short\n' }] },
  ]);
}

const outputBox = (page: Page, index: number) => cellAt(page, index).getByTestId('output-area');

test('a 3,000-line output scrolls inside a bounded box, and expands on demand', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const id = await longOutputNotebook(ada.page);
  await ada.page.setViewportSize({ width: 1400, height: 900 });
  await openNotebook(ada.page, id);

  const box = outputBox(ada.page, 0);
  await expect(box).toContainText('line 3000');
  const bounded = (await cellAt(ada.page, 0).boundingBox())!.height;
  expect(bounded).toBeLessThan(900);
  expect(await box.evaluate((el) => el.scrollHeight > el.clientHeight + 1000)).toBe(true);
  // Scrolled inside, the last line comes into view.
  await cellAt(ada.page, 0).getByTestId('output-area').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(box.getByText('line 3000')).toBeInViewport();
  // A short output gets no toggle.
  await expect(cellAt(ada.page, 1).getByTestId('output-scroll-toggle')).toHaveCount(0);

  await cellAt(ada.page, 0).getByTestId('output-scroll-toggle').click();
  await expect.poll(async () => (await cellAt(ada.page, 0).boundingBox())!.height).toBeGreaterThan(3000 * 10);
  await cellAt(ada.page, 0).getByTestId('output-scroll-toggle').click();
  await expect.poll(async () => (await cellAt(ada.page, 0).boundingBox())!.height).toBeLessThan(900);
});

test('inputs and outputs collapse per person, with the left bar or O, and the notebook is untouched', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await longOutputNotebook(ada.page);
  await shareWith(ada.page, id, bob.email, 'editor');
  for (const p of [ada, bob]) await openNotebook(p.page, id);

  // Ada collapses cell 0's outputs with its bar: a one-line stand-in remains; a click on it expands them again.
  await cellAt(ada.page, 0).getByTestId('output-collapser').click();
  await expect(outputBox(ada.page, 0)).toHaveCount(0);
  await expect(cellAt(ada.page, 0).getByTestId('outputs-collapsed')).toBeVisible();
  await cellAt(ada.page, 0).getByTestId('outputs-collapsed').click();
  await expect(outputBox(ada.page, 0)).toBeVisible();

  // `O` in command mode toggles the selected cell's outputs.
  await cellAt(ada.page, 1).getByTestId('cell-prompt').click();
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'command');
  await ada.page.keyboard.press('o');
  await expect(outputBox(ada.page, 1)).toHaveCount(0);
  await expect(cellAt(ada.page, 1).getByTestId('outputs-collapsed')).toBeVisible();

  // The input bar collapses the source.
  await cellAt(ada.page, 0).getByTestId('input-collapser').click();
  await expect(cellAt(ada.page, 0).locator('.cm-editor, [data-testid="source-preview"]')).toHaveCount(0);
  await expect(cellAt(ada.page, 0).getByTestId('input-collapsed')).toBeVisible();

  // Bob sees everything as it was.
  await expect(outputBox(bob.page, 0)).toBeVisible();
  await expect(outputBox(bob.page, 1)).toContainText('short');
  await expect(cellAt(bob.page, 0).getByTestId('input-collapsed')).toHaveCount(0);

  // Ada's choice survives her reload; nothing of it is in the stored notebook.
  await ada.page.reload();
  await expect(ada.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(cellAt(ada.page, 1).getByTestId('outputs-collapsed')).toBeVisible();
  await expect(cellAt(ada.page, 0).getByTestId('input-collapsed')).toBeVisible();
  const stored = storedNotebook(id) as unknown as { cells: { metadata: Record<string, unknown> }[] };
  for (const cell of stored.cells) expect(cell.metadata).toEqual({});
  await ada.page.keyboard.press('o');
});
