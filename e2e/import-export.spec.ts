// Notebook files through the browser: import by dropping a file on the list
// page (and by the file picker), see its images and HTML tables rendered, and
// download it back as a .ipynb that Python's nbformat reads as the same notebook.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notebooksDir } from '../notebook-model/nbformat/test-corpus';
import { checkWithNbformat } from '../notebook-model/nbformat/python-oracle';
import { personIn, openNotebook, createNotebookFromList, cellEditor, twoPeopleOnANewNotebook } from './helpers';
import { expectSource, storedNotebook, storedSource } from './notebook-page';

const corpusPath = (name: string) => join(notebooksDir, 'corpus', name);

/** Drops a file on the import zone as a browser drag-and-drop would deliver it. */
async function dropFile(page: Page, name: string): Promise<void> {
  const base64 = readFileSync(corpusPath(name)).toString('base64');
  const dataTransfer = await page.evaluateHandle(({ name, base64 }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: 'application/x-ipynb+json' }));
    return transfer;
  }, { name, base64 });
  const zone = page.getByTestId('import-drop-zone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** The id of the notebook the import zone reports for a file. */
async function importedId(page: Page, name: string): Promise<string> {
  const result = page.locator(`[data-testid="import-result"][data-file-name="${name}"]`);
  await expect(result).toHaveAttribute('data-status', 'ok');
  const id = await result.getByTestId('import-result-link').getAttribute('data-notebook-id');
  if (!id) throw new Error(`no notebook id for ${name}`);
  return id;
}

/** Downloads the notebook's .ipynb and checks it against the original file with Python's nbformat. */
async function expectDownloadEqualsInput(page: Page, name: string): Promise<void> {
  await page.getByTestId('download-menu-button').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-ipynb').click()]);
  expect(download.suggestedFilename()).toBe(name);
  // The choice closes the menu.
  await expect(page.getByTestId('download-menu')).not.toHaveAttribute('open');
  const path = await download.path();
  const [verdict] = checkWithNbformat([{ name, input: readFileSync(corpusPath(name), 'utf8'), ours: readFileSync(path, 'utf8') }]);
  expect(verdict.validationError).toBeUndefined();
  expect(verdict.valid).toBe(true);
  expect(verdict.equal).toBe(true);
}

test('a dropped notebook with plots imports, shows its images, and downloads as the same notebook', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Ada');
  const name = 'pdsh-04.01-Simple-Line-Plots.ipynb';
  await page.goto('/');
  await dropFile(page, name);
  const id = await importedId(page, name);

  await openNotebook(page, id);
  const images = page.locator('[data-testid="output"] img');
  await expect(images.first()).toBeVisible();
  expect(await images.first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await expectDownloadEqualsInput(page, name);
  await context.close();
});

test('a notebook chosen with the file picker shows its HTML tables and downloads as the same notebook', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Bob');
  const name = 'pdsh-03.09-Pivot-Tables.ipynb';
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles(corpusPath(name));
  const id = await importedId(page, name);

  await openNotebook(page, id);
  const frame = page.getByTestId('output-frame').first();
  await expect(frame).toBeVisible();
  await expect(frame.contentFrame().locator('table').first()).toBeVisible();

  await expectDownloadEqualsInput(page, name);
  await context.close();
});

test('a refused file is reported by name with its problem, and no link is offered', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Cy');
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles(join(notebooksDir, 'invalid', 'nbformat-invalid_unique_cell_id.ipynb'));
  const result = page.locator('[data-testid="import-result"][data-file-name="nbformat-invalid_unique_cell_id.ipynb"]');
  await expect(result).toHaveAttribute('data-status', 'error');
  await expect(result).toContainText('cell ids must be unique');
  await expect(result.getByTestId('import-result-link')).toHaveCount(0);
  await context.close();
});

test('replacing an open notebook with a file moves every open page onto the new content, with no old history merged', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Replace');
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.type('old content');
  await expectSource(ada.page, 0, 'old content');

  const name = 'pdsh-03.09-Pivot-Tables.ipynb';
  const fileCells = (JSON.parse(readFileSync(corpusPath(name), 'utf8')) as { cells: { source: string | string[] }[] }).cells;
  ada.page.once('dialog', (dialog) => void dialog.accept());
  await ada.page.getByTestId('replace-file-input').setInputFiles(corpusPath(name));

  // Both pages reload onto the new document: the file's cells, once each, and nothing of the old one.
  for (const page of [ada.page, bob.page]) {
    await expect(page.getByTestId('cell')).toHaveCount(fileCells.length);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByText('old content')).toHaveCount(0);
  }
  await expectSource(bob.page, 3, storedSource(fileCells[3]));

  // And they edit the new document together.
  await cellEditor(bob.page, 3).click();
  await bob.page.keyboard.press('Control+End');
  await bob.page.keyboard.insertText('\n# after the replacement');
  await expectSource(ada.page, 3, `${storedSource(fileCells[3])}\n# after the replacement`);
  await expect.poll(() => storedNotebook(id).cells.map(storedSource)).toEqual(
    fileCells.map((c, i) => storedSource(c) + (i === 3 ? '\n# after the replacement' : '')),
  );

  await ada.context.close();
  await bob.context.close();
});

test('every download format of a notebook answers from the built product, the HTML page included', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Di');
  const id = await createNotebookFromList(page, `Export ${Date.now()}`);
  await openNotebook(page, id);
  await cellEditor(page, 0).click();
  await page.keyboard.type('x = 1  # exported');
  await expectSource(page, 0, 'x = 1  # exported');
  await expect.poll(() => storedNotebook(id).cells.map(storedSource)).toEqual(['x = 1  # exported']);

  for (const format of ['ipynb', 'stripped', 'py', 'html']) {
    const res = await page.request.get(`/api/notebooks/${id}/export?format=${format}`);
    expect(res.status(), `${format}: ${await res.text()}`).toBe(200);
    expect(await res.text()).toContain('x = 1  # exported');
  }
  const html = await (await page.request.get(`/api/notebooks/${id}/export?format=html`)).text();
  expect(html).toContain('.katex'); // KaTeX's stylesheet is inlined
  await context.close();
});
