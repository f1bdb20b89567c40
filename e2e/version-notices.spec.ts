// Versions that say what happened: a Save & run all that fails names the
// exception and the cell, the comparison folds unchanged cells and marks the
// cells the failed run never reached; a restore tells everyone connected who
// restored what, and what a collaborator was typing at that moment is in the
// version saved just before it.
import { test, expect } from '@playwright/test';
import { cellEditor, createNotebookFromList, importNotebook, openNotebook, personIn, type TestCell } from './helpers';
import { expectSource, sourceOf } from './notebook-page';

const KERNEL_TIMEOUT = 60_000;

test('a failed Save & run all names the exception; its comparison folds unchanged cells and marks cells it never ran', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const cells: TestCell[] = [
    ...Array.from({ length: 12 }, (_, i): TestCell => ({ id: `set${i}`, cell_type: 'code', source: `a${i} = ${i}` })),
    { id: 'boom', cell_type: 'code', source: '1/0' },
    { id: 'after', cell_type: 'code', source: 'print("after")', execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: 'stale\n' }] },
  ];
  const id = await importNotebook(ada.page, `Failing run ${Date.now()}`, cells);
  await ada.page.goto(`/notebooks/${id}/versions`);
  await ada.page.getByTestId('version-name').fill('Clean run that fails');
  await ada.page.getByTestId('save-and-run-all').click();
  await expect(ada.page.getByTestId('fresh-run-state')).toHaveAttribute('data-state', 'done', { timeout: KERNEL_TIMEOUT });
  const row = ada.page.getByTestId('version-row').filter({ hasText: 'Clean run that fails' });
  await expect(row).toContainText('failed: ZeroDivisionError: division by zero in cell 13');
  await expect(row).not.toContainText('An error occurred');

  const versionId = await row.getAttribute('data-version-id');
  await ada.page.goto(`/notebooks/${id}/versions/compare?from=${versionId}&to=live`);
  const folded = ada.page.getByTestId('unchanged-run');
  await expect(folded).toHaveCount(1);
  await expect(folded.locator('summary')).toHaveText('12 unchanged cells');
  await expect(folded.getByTestId('cell-diff').first()).toBeHidden();
  await folded.locator('summary').click();
  await expect(folded.getByTestId('cell-diff')).toHaveCount(12);
  await expect(folded.getByTestId('cell-diff').first()).toBeVisible();

  const failed = ada.page.locator('[data-testid="cell-diff"][data-cell-id="boom"]');
  await expect(failed).toHaveAttribute('data-kind', 'changed');
  await expect(failed.getByTestId('not-run-mark')).toHaveCount(0);
  const neverRan = ada.page.locator('[data-testid="cell-diff"][data-cell-id="after"]');
  await expect(neverRan).toBeVisible();
  await expect(neverRan.getByTestId('not-run-mark')).toHaveText('not run in this version');
  await expect(neverRan).toContainText('stale');
  await expect(ada.page.getByTestId('not-run-mark')).toHaveCount(1);
  await ada.context.close();
});

test('a restore while a collaborator types: they are told who restored what, and their typing is in the version saved just before', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await createNotebookFromList(ada.page, `Restore notice ${Date.now()}`);
  const saved = await ada.page.request.post(`/api/notebooks/${id}/versions`, { data: { name: 'Empty start' } });
  expect(saved.status()).toBe(201);
  const versionId: string = (await saved.json()).version.id;

  await openNotebook(bob.page, id);
  await cellEditor(bob.page, 0).click();
  // Bob types one character at a time and is still typing when Ada restores:
  // nothing waits for his keystrokes to be stored first.
  const text = `typed_while_restoring_${'w'.repeat(300)}`;
  let typed = 0;
  let stop = false;
  const typing = (async () => {
    for (const ch of text) {
      if (stop) return;
      try {
        await bob.page.keyboard.insertText(ch);
      } catch {
        return; // the page is reloading
      }
      typed++;
    }
  })();
  await expect.poll(() => typed).toBeGreaterThan(30);
  const shownBeforeRestore = await sourceOf(bob.page, 0);
  expect(text.startsWith(shownBeforeRestore)).toBe(true);
  const restored = await ada.page.request.post(`/api/versions/${versionId}/restore`);
  stop = true;
  expect(restored.status()).toBe(200);
  const { backupName } = await restored.json();
  expect(backupName).toBe('Before Ada restored “Empty start”');
  await typing;

  // Bob's page reloaded onto the restored version and says what happened.
  const notice = bob.page.getByTestId('restore-notice');
  await expect(notice).toBeVisible();
  await expect(notice.getByTestId('restore-notice-text')).toHaveText('Ada restored “Empty start”.');
  await expect(notice.getByTestId('restore-notice-backup')).toHaveText(`“${backupName}”`);
  await expect(bob.page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expectSource(bob.page, 0, '');

  // The version saved just before holds at least everything his page showed when the restore was asked for.
  await notice.getByTestId('restore-notice-backup').click();
  await expect(bob.page.getByTestId('compare-page')).toBeVisible();
  const removed = bob.page.locator('[data-testid="line-diff"] .diff-removed');
  await expect(removed).toHaveCount(1);
  const kept = ((await removed.textContent()) ?? '').replace(/^- /, '');
  expect(text.startsWith(kept), `the backup holds Bob's text: ${kept}`).toBe(true);
  expect(kept.length).toBeGreaterThanOrEqual(shownBeforeRestore.length);

  // The notice is shown once: reloading again shows none.
  await openNotebook(bob.page, id);
  await expect(bob.page.getByTestId('cell')).toHaveCount(1);
  await expect(bob.page.getByTestId('restore-notice')).toHaveCount(0);
  for (const person of [ada, bob]) await person.context.close();
});
