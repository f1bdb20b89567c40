// Versions in the browser: "Save & run all" while a collaborator keeps typing,
// publishing the fresh-run version, reading the public page in a browser with
// no account and no JavaScript (the image output is there), forking it into
// another account with "Copy & edit", and the diff view of two versions of a
// corpus notebook with changed outputs (checked in a screenshot).
import { test, expect, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notebooksDir } from '../notebook-model/nbformat/test-corpus';
import { cellEditor, createNotebookFromList, openNotebook, personIn } from './helpers';
import { expectSource, expectSources } from './notebook-page';

const KERNEL_TIMEOUT = 60_000;
/** The product's data folder under test (playwright.config.ts). */
const e2eDataDir = join(import.meta.dirname, '..', 'test-results', 'e2e-data');
// A 4×4 red PNG, displayed by the kernel itself (no plotting library needed).
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==';
const IMAGE_CELL = `import base64\nfrom IPython.display import Image, display\ndisplay(Image(data=base64.b64decode("${PNG}")))`;

async function typeAndRun(page: Page, index: number, code: string): Promise<void> {
  await cellEditor(page, index).click();
  await page.keyboard.insertText(code);
  await page.keyboard.press('Shift+Enter');
}

test('save & run all while another browser edits, publish, read it without an account, fork it elsewhere', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await createNotebookFromList(ada.page, 'Published plots'); // Bob becomes an editor
  await openNotebook(ada.page, id);
  await typeAndRun(ada.page, 0, IMAGE_CELL);
  await expect(ada.page.getByTestId('cell').first().locator('[data-testid="output"] img')).toBeVisible({ timeout: KERNEL_TIMEOUT });

  // The second cell, not run live, holds the fresh run until this test opens its
  // gate: a file in the run's working folder (the sandboxed kernel sees no other).
  const gate = join(e2eDataDir, 'fresh-runs', id, 'gate');
  const gateCode = 'import os, time\nwhile not os.path.exists("gate"):\n    time.sleep(0.05)';
  await cellEditor(ada.page, 1).click();
  await ada.page.keyboard.insertText(gateCode);

  // Bob keeps editing that cell in his browser while Ada saves and runs all.
  await openNotebook(bob.page, id);
  await expectSource(bob.page, 1, gateCode);
  await ada.page.getByTestId('versions-link').click();
  await expect(ada.page.getByTestId('versions-page')).toBeVisible();
  await ada.page.getByTestId('version-name').fill('Clean run');
  await ada.page.getByTestId('save-and-run-all').click();
  await expect(ada.page.getByTestId('fresh-run-state')).toContainText('cell 2 of 2', { timeout: KERNEL_TIMEOUT });
  await expect(bob.page.getByTestId('fresh-run-notice')).toContainText('by Ada: cell 2/2');
  await cellEditor(bob.page, 1).click();
  await bob.page.keyboard.press('Control+End');
  await bob.page.keyboard.insertText('\n# edited during the run');
  await expectSource(bob.page, 1, `${gateCode}\n# edited during the run`);
  writeFileSync(gate, '');
  await expect(ada.page.getByTestId('fresh-run-state')).toHaveAttribute('data-state', 'done', { timeout: KERNEL_TIMEOUT });
  await expect(bob.page.getByTestId('fresh-run-notice')).toHaveCount(0);
  const row = ada.page.getByTestId('version-row').filter({ hasText: 'Clean run' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('every cell ran');
  await expectSource(bob.page, 1, `${gateCode}\n# edited during the run`); // the run never touched the live document

  // Publish; the public page is read in a fresh context: no account, no JavaScript.
  await row.getByTestId('publish').click();
  const link = row.getByTestId('published-link');
  await expect(link).toBeVisible();
  const publicPath = await link.getAttribute('href');
  expect(publicPath).toMatch(/^\/p\/published-plots-[a-z0-9]{10}$/);
  const anonymous = await browser.newContext({ javaScriptEnabled: false });
  const reader = await anonymous.newPage();
  await reader.goto(publicPath!);
  await expect(reader.getByRole('heading', { name: 'Published plots' })).toBeVisible();
  await expect(reader.getByTestId('published-byline')).toContainText('by Ada');
  await expect(reader.getByTestId('reproducible-badge')).toBeVisible();
  const image = reader.locator('[data-testid="output"] img').first();
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(4);
  const [download] = await Promise.all([reader.waitForEvent('download'), reader.getByTestId('download-ipynb').click()]);
  expect(download.suggestedFilename()).toBe('Published plots.ipynb');
  await anonymous.close();

  // Carol, who has no role on the notebook, forks the published version into her account.
  const carol = await personIn(browser, 'Carol');
  await carol.page.goto(publicPath!);
  await carol.page.getByTestId('fork-published').click();
  await expect(carol.page).toHaveURL(/\/notebooks\/[^/]+$/);
  expect(carol.page.url()).not.toContain(id);
  await expect(carol.page.getByTestId('notebook-title')).toHaveText('Published plots (fork)');
  await expect(carol.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(carol.page.getByTestId('cell').first().locator('[data-testid="output"] img')).toBeVisible();
  await expect(carol.page.getByTestId('read-only')).toHaveCount(0); // she owns the fork

  // The fork has its own kernel: what Ada's live kernel defined (Image) is not there.
  await cellEditor(carol.page, 1).click();
  await carol.page.keyboard.press('Control+A');
  await carol.page.keyboard.insertText("print('Image' in globals())");
  await carol.page.keyboard.press('Shift+Enter');
  await expect(carol.page.getByTestId('cell').nth(1).getByTestId('output-stream')).toHaveText('False\n', { timeout: KERNEL_TIMEOUT });
  await expectSource(bob.page, 1, `${gateCode}\n# edited during the run`); // and its edits stay in the fork

  // The original counts its fork.
  await ada.page.reload();
  await expect(ada.page.getByTestId('notebook-fork-count')).toHaveText('1 fork');
  for (const person of [ada, bob, carol]) await person.context.close();
});

test('the diff of two versions of a corpus notebook shows the changed plot as images, side by side', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const { page } = ada;
  const name = 'pdsh-04.01-Simple-Line-Plots.ipynb';
  const imported = await page.request.post('/api/notebooks/import', {
    multipart: { file: { name, mimeType: 'application/x-ipynb+json', buffer: readFileSync(join(notebooksDir, 'corpus', name)) } },
  });
  expect(imported.status()).toBe(200);
  const id: string = (await imported.json()).files[0].id;
  const save = async (versionName: string) => {
    const response = await page.request.post(`/api/notebooks/${id}/versions`, { data: { name: versionName } });
    expect(response.status()).toBe(201);
    return (await response.json()).version.id as string;
  };
  const first = await save('Sine only');

  // The notebook as a user changes it: one plot now draws sine and cosine (its
  // source and its image change), and the last cell is deleted.
  const nb = await (await page.request.get(`/api/notebooks/${id}/export`)).json();
  type Cell = { cell_type: string; source: string | string[]; outputs?: { data?: Record<string, unknown> }[] };
  const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
  const sine = nb.cells.findIndex((c: Cell) => text(c) === 'plt.plot(x, np.sin(x));');
  const both = nb.cells.findIndex((c: Cell) => text(c).startsWith('plt.plot(x, np.sin(x))\nplt.plot(x, np.cos(x));'));
  expect(sine).toBeGreaterThan(0);
  expect(both).toBeGreaterThan(sine);
  nb.cells[sine].source = 'plt.plot(x, np.sin(x))\nplt.plot(x, np.cos(x));';
  nb.cells[sine].outputs = structuredClone(nb.cells[both].outputs);
  nb.cells.pop();
  const replaced = await page.request.post(`/api/notebooks/${id}/replace`, {
    multipart: { file: { name, mimeType: 'application/x-ipynb+json', buffer: Buffer.from(JSON.stringify(nb)) } },
  });
  expect(replaced.status()).toBe(200);
  const second = await save('Sine and cosine');

  await page.goto(`/notebooks/${id}/versions`);
  await page.getByTestId('compare-from').selectOption(first);
  await page.getByTestId('compare-to').selectOption(second);
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('compare-page')).toBeVisible();
  await expect(page.getByTestId('diff-summary')).toHaveText('0 added · 1 removed · 1 changed · 0 moved');
  const changed = page.locator('[data-testid="cell-diff"][data-kind="changed"]');
  await expect(changed).toHaveCount(1);
  await expect(changed.getByTestId('line-diff')).toContainText('+ plt.plot(x, np.cos(x));');
  const images = changed.getByTestId('outputs-side-by-side').locator('img');
  await expect(images).toHaveCount(2);
  for (const image of await images.all()) {
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  await expect(changed).toHaveScreenshot('diff-changed-plot.png', { maxDiffPixelRatio: 0.01 });
  await ada.context.close();
});

test('restore while two browsers are open: both reload onto the version, with nothing duplicated', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await createNotebookFromList(ada.page, 'Restore me');
  await openNotebook(bob.page, id);
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.insertText('kept = 1');

  // Ada quick-saves from the Versions page.
  await ada.page.goto(`/notebooks/${id}/versions`);
  await ada.page.getByTestId('version-name').fill('Before the mess');
  await expect.poll(async () => (await ada.page.request.get(`/api/notebooks/${id}/export`)).text()).toContain('kept = 1');
  await ada.page.getByTestId('quick-save').click();
  const row = ada.page.getByTestId('version-row').filter({ hasText: 'Before the mess' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Ada');

  // Bob goes on typing; then Ada restores the saved version.
  await bob.page.keyboard.insertText('\nmess = 2');
  await expectSource(bob.page, 0, 'kept = 1\nmess = 2');
  await expect.poll(async () => (await ada.page.request.get(`/api/notebooks/${id}/export`)).text()).toContain('mess = 2');
  ada.page.once('dialog', (dialog) => void dialog.accept());
  await row.getByTestId('restore').click();
  await expect(ada.page).toHaveURL(new RegExp(`/notebooks/${id}$`));

  for (const page of [ada.page, bob.page]) {
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
    await expectSources(page, ['kept = 1']);
  }
  // Bob's line is not lost: the version saved just before the restore holds it, named for it.
  await ada.page.goto(`/notebooks/${id}/versions`);
  const backup = ada.page.getByTestId('version-row').filter({ hasText: 'Before Ada restored “Before the mess”' });
  await expect(backup).toHaveCount(1);
  await openNotebook(ada.page, id);

  // They keep editing the restored document together.
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.press('Control+End');
  await bob.page.keyboard.insertText(' # after');
  await expectSource(ada.page, 0, 'kept = 1 # after');
  await expectSources(bob.page, ['kept = 1 # after']);
  for (const person of [ada, bob]) await person.context.close();
});
