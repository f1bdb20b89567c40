// Large notebooks open without freezing the page: of a 2,000-cell notebook only
// the cells near the viewport get a CodeMirror editor (the rest show their source
// as plain text), and a cell far down becomes a real editor once it is reached.
// The 1.7 MB K-Means chapter opens with its plots.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { notebooksDir } from '../notebook-model/nbformat/test-corpus';
import { personIn, openNotebook } from './helpers';
import { cellAt, expectSource, storedNotebook, storedSource } from './notebook-page';

const CELLS = 2000;

/** A notebook of `cells` cells: every third markdown with math, the others code with two outputs. */
function generatedNotebook(cells: number): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: Array.from({ length: cells }, (_, i) => (i % 3 === 0
      ? { id: `m${i}`, cell_type: 'markdown', metadata: {}, source: `## Section ${i}\n\nSome text with $x^{${i}}$.` }
      : {
        id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: i,
        source: `for k in range(${i}):\n    print(k)\nvalue_${i} = ${i} * 2`,
        outputs: [
          { output_type: 'stream', name: 'stdout', text: '0\n1\n2\n' },
          { output_type: 'execute_result', execution_count: i, metadata: {}, data: { 'text/plain': String(i * 2) } },
        ],
      })),
  });
}

async function importFile(page: import('@playwright/test').Page, name: string, buffer: Buffer): Promise<string> {
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles({ name, mimeType: 'application/x-ipynb+json', buffer });
  const link = page.locator(`[data-testid="import-result"][data-file-name="${name}"]`).getByTestId('import-result-link');
  await expect(link).toHaveCount(1, { timeout: 60_000 });
  return (await link.getAttribute('data-notebook-id'))!;
}

test('a 2,000-cell notebook opens with editors only near the viewport, and its last cell can be edited', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Ada');
  const id = await importFile(page, 'two-thousand-cells.ipynb', Buffer.from(generatedNotebook(CELLS)));

  await openNotebook(page, id);
  await expect(page.getByTestId('cell')).toHaveCount(CELLS);
  await expect(cellAt(page, 1).locator('.cm-editor')).toHaveCount(1);
  const editors = await page.locator('.cm-editor').count();
  expect(editors).toBeGreaterThan(0);
  expect(editors).toBeLessThan(200);
  // Far cells show their source as text, ready for the page's own search, and
  // are not laid out until they come near (content-visibility).
  await expect(cellAt(page, CELLS - 3).getByTestId('source-preview')).toHaveText(`for k in range(${CELLS - 3}):\n    print(k)\nvalue_${CELLS - 3} = ${CELLS - 3} * 2`);
  await expect(cellAt(page, CELLS - 1)).toHaveCSS('content-visibility', 'auto');
  await expect(cellAt(page, 1)).toHaveCSS('content-visibility', 'visible');

  // Scrolled to, the last cell gets its real editor, and typing there reaches the database.
  const last = cellAt(page, CELLS - 1);
  await last.scrollIntoViewIfNeeded();
  await expect(last.locator('.cm-editor')).toHaveCount(1);
  await expect(last).toHaveCSS('content-visibility', 'visible');
  await last.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\n# edited at the end');
  const lastSource = `for k in range(${CELLS - 1}):\n    print(k)\nvalue_${CELLS - 1} = ${CELLS - 1} * 2\n# edited at the end`;
  await expectSource(page, CELLS - 1, lastSource);
  await expect.poll(() => storedSource(storedNotebook(id).cells[CELLS - 1])).toBe(lastSource);
  await context.close();
});

test('the 1.7 MB K-Means chapter opens with its plots', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Ada');
  const name = 'pdsh-05.11-K-Means.ipynb';
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles(join(notebooksDir, 'corpus', name));
  const link = page.locator(`[data-testid="import-result"][data-file-name="${name}"]`).getByTestId('import-result-link');
  await expect(link).toHaveCount(1, { timeout: 60_000 });
  const id = (await link.getAttribute('data-notebook-id'))!;

  await openNotebook(page, id);
  await expect(page.getByTestId('cell')).toHaveCount(61);
  const firstPlot = page.locator('[data-testid="output"] img').first();
  await expect(firstPlot).toBeVisible();
  expect(await firstPlot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  // The page still answers the keyboard: command-mode J moves the selection.
  await page.keyboard.press('j');
  await expect(cellAt(page, 1)).toHaveAttribute('data-mode', 'command');
  await context.close();
});
