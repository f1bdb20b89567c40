// The editing features a Jupyter user reaches for, each tried with a
// collaborator on the same notebook: the cell clipboard (C / X / V / Shift+V,
// also into another notebook) and dragging cells, line numbers (Shift+L), find
// and replace in a cell and across the notebook (with a collaborator typing in
// the same cell meanwhile), the table of contents with where everyone is, the
// shortcut sheet (H), and Escape closing only an open completion list.
// Three people (Ada owns the notebooks, Bob edits them, Vic only views) are
// signed up once for the whole file.
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { cellEditor, importNotebook, openNotebook, personIn, shareWith, typeAndRun, type TestCell } from './helpers';
import { cellAt, expectSource, expectSources } from './notebook-page';
import { keyTable } from '../app/notebook/keyboard';

const KERNEL_TIMEOUT = 60_000;

interface Person { context: BrowserContext; page: Page; email: string }
let ada: Person;
let bob: Person;
let vic: Person;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  ada = await personIn(browser, 'Ada');
  bob = await personIn(browser, 'Bob');
  vic = await personIn(browser, 'Vic');
});

test.afterAll(async () => {
  for (const person of [ada, bob, vic]) await person?.context.close();
});

/** A notebook Ada imports with these cells, Bob may edit and Vic may view. */
async function sharedNotebook(title: string, cells: TestCell[]): Promise<string> {
  const id = await importNotebook(ada.page, `${title} ${Date.now()}`, cells);
  await shareWith(ada.page, id, bob.email, 'editor');
  await shareWith(ada.page, id, vic.email, 'viewer');
  return id;
}

/** Selects the n-th cell in command mode, as a click beside its editor does. */
async function selectCell(page: Page, index: number): Promise<void> {
  await cellAt(page, index).getByTestId('cell-prompt').click();
  await expect(cellAt(page, index)).toHaveAttribute('data-mode', 'command');
}

test('C, X, V and Shift+V copy, cut and paste whole cells, also into another notebook; a handle drags a cell', async () => {
  const id = await sharedNotebook('Clipboard', [
    { id: 'intro', cell_type: 'markdown', source: '# Intro' },
    { id: 'answer', cell_type: 'code', source: 'x = 41', execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: 'forty-one\n' }] },
    { id: 'last', cell_type: 'code', source: 'y = 2' },
  ]);
  await openNotebook(ada.page, id);
  await openNotebook(bob.page, id);

  // C then V: a copy below, with its output and prompt, under a new id; Bob sees it.
  await selectCell(ada.page, 1);
  await ada.page.keyboard.press('c');
  await ada.page.keyboard.press('v');
  await expectSources(ada.page, ['', 'x = 41', 'x = 41', 'y = 2']);
  await expect(cellAt(ada.page, 2)).toHaveAttribute('data-mode', 'command');
  await expect(cellAt(ada.page, 2).getByTestId('output-area')).toContainText('forty-one');
  await expect(cellAt(ada.page, 2).getByTestId('cell-prompt')).toHaveText('[3]:');
  expect(await cellAt(ada.page, 2).getAttribute('data-cell-id')).not.toBe('answer');
  await expectSources(bob.page, ['', 'x = 41', 'x = 41', 'y = 2']);
  await expect(cellAt(bob.page, 2).getByTestId('output-area')).toContainText('forty-one');

  // Shift+V pastes above the selected cell; X cuts it (and the cut cell is the one pasted next).
  await selectCell(ada.page, 3);
  await ada.page.keyboard.press('Shift+V');
  await expectSources(bob.page, ['', 'x = 41', 'x = 41', 'x = 41', 'y = 2']);
  await selectCell(ada.page, 4);
  await ada.page.keyboard.press('x');
  await expectSources(bob.page, ['', 'x = 41', 'x = 41', 'x = 41']);

  // A viewer may copy, but not paste: the page says why.
  await openNotebook(vic.page, id);
  await selectCell(vic.page, 0);
  await vic.page.keyboard.press('v');
  await expect(vic.page.getByTestId('read-only-notice')).toContainText('view only');
  await expect(vic.page.getByTestId('cell')).toHaveCount(4);

  // Into another notebook: the clipboard outlives the page (X put "y = 2" there).
  const other = await sharedNotebook('Paste target', [{ id: 'only', cell_type: 'code', source: 'z = 0' }]);
  await openNotebook(ada.page, other);
  await openNotebook(bob.page, other);
  await selectCell(ada.page, 0);
  await ada.page.keyboard.press('v');
  await expectSources(bob.page, ['z = 0', 'y = 2']);

  // Dragging the second cell's handle onto the upper half of the first moves it there, for Bob too.
  await cellAt(ada.page, 1).hover();
  await cellAt(ada.page, 1).getByTestId('cell-drag-handle').dragTo(cellAt(ada.page, 0), { targetPosition: { x: 200, y: 3 } });
  await expectSources(ada.page, ['y = 2', 'z = 0']);
  await expectSources(bob.page, ['y = 2', 'z = 0']);
  // A viewer has no handle.
  await openNotebook(vic.page, other);
  await expect(vic.page.getByTestId('cell-drag-handle')).toHaveCount(0);
});

test('Shift+L shows line numbers in every cell, for this person only, and is remembered', async () => {
  const id = await sharedNotebook('Line numbers', [
    { id: 'one', cell_type: 'code', source: 'a = 1\nb = 2' },
    { id: 'two', cell_type: 'code', source: 'c = 3' },
  ]);
  await openNotebook(ada.page, id);
  await openNotebook(bob.page, id);
  await expect(ada.page.locator('.cm-lineNumbers')).toHaveCount(0);
  await selectCell(ada.page, 0);
  await ada.page.keyboard.press('Shift+L');
  // CodeMirror keeps one hidden sizing element in the gutter: only the visible numbers count.
  await expect(cellAt(ada.page, 0).locator('.cm-lineNumbers .cm-gutterElement').filter({ visible: true })).toHaveText(['1', '2']);
  await expect(ada.page.locator('.cm-lineNumbers')).toHaveCount(2);
  await expect(bob.page.locator('.cm-lineNumbers')).toHaveCount(0);
  // A reload keeps the choice; Shift+L again hides them.
  await openNotebook(ada.page, id);
  await expect(ada.page.locator('.cm-lineNumbers')).toHaveCount(2);
  await selectCell(ada.page, 1);
  await ada.page.keyboard.press('Shift+L');
  await expect(ada.page.locator('.cm-lineNumbers')).toHaveCount(0);
});

test('find and replace: in a cell, and across the notebook while a collaborator types in the same cell', async () => {
  const id = await sharedNotebook('Find', [
    { id: 'head', cell_type: 'markdown', source: '# Totals' },
    { id: 'calc', cell_type: 'code', source: 'total = 1\nprint(total)', execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 'total is 1\n' }] },
    { id: 'more', cell_type: 'code', source: 'total += 1' },
  ]);
  await openNotebook(ada.page, id);
  await openNotebook(bob.page, id);

  // Ctrl+F inside a cell is CodeMirror's own search.
  await cellEditor(ada.page, 2).click();
  await ada.page.keyboard.press('Control+f');
  await expect(cellAt(ada.page, 2).locator('.cm-search')).toBeVisible();
  await ada.page.keyboard.press('Escape');
  await expect(cellAt(ada.page, 2).locator('.cm-search')).toHaveCount(0);
  await expect(cellAt(ada.page, 2)).toHaveAttribute('data-mode', 'edit');

  // Ctrl+Shift+F: the notebook's bar, over every source (case-insensitive), outputs when asked.
  await ada.page.keyboard.press('Escape');
  await ada.page.keyboard.press('Control+Shift+F');
  const bar = ada.page.getByTestId('find-bar');
  await expect(bar).toBeVisible();
  await ada.page.getByTestId('find-input').fill('total');
  const count = ada.page.getByTestId('find-count');
  await expect(count).toHaveAttribute('data-count', '4');
  await expect(ada.page.locator('.cm-notebook-match')).toHaveCount(3);
  await ada.page.getByTestId('find-in-outputs').check();
  await expect(count).toHaveAttribute('data-count', '5');
  await ada.page.getByTestId('find-case').check();
  await expect(count).toHaveAttribute('data-count', '4');
  await ada.page.getByTestId('find-in-outputs').uncheck();
  await expect(count).toHaveAttribute('data-count', '3');
  // Next and previous select the matching cells.
  await ada.page.getByTestId('find-next').click();
  await expect(count).toHaveText('2 of 3');
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'command');
  await ada.page.getByTestId('find-next').click();
  await expect(cellAt(ada.page, 2)).toHaveAttribute('data-mode', 'command');
  await ada.page.getByTestId('find-previous').click();
  await ada.page.getByTestId('find-previous').click();
  await expect(count).toHaveText('1 of 3');
  // Enter in the field goes on finding (the field keeps the keys while the cells get selected).
  await ada.page.getByTestId('find-input').press('Enter');
  await expect(count).toHaveText('2 of 3');
  await ada.page.keyboard.press('Enter');
  await expect(count).toHaveText('3 of 3');
  await ada.page.keyboard.press('Shift+Enter');
  await ada.page.keyboard.press('Shift+Enter');
  await expect(count).toHaveText('1 of 3');
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'command');
  // Replace one: the current match only.
  await ada.page.getByTestId('replace-input').fill('sum_all');
  await ada.page.getByTestId('replace-one').click();
  await expectSource(bob.page, 1, 'sum_all = 1\nprint(total)');
  await expect(count).toHaveAttribute('data-count', '2');

  // Replace all while Bob types at the end of the same cell: both texts survive, both pages agree.
  await cellEditor(bob.page, 1).click();
  await bob.page.keyboard.press('Control+End');
  const typing = bob.page.keyboard.type('\n# bob was here', { delay: 40 });
  await ada.page.getByTestId('replace-all').click();
  await typing;
  await expect(ada.page.getByTestId('replaced-count')).toHaveText('2 replaced');
  const expected = ['', 'sum_all = 1\nprint(sum_all)\n# bob was here', 'sum_all += 1'];
  await expectSources(ada.page, expected);
  await expectSources(bob.page, expected);

  // Escape in the bar closes it; a viewer can search but not replace.
  await ada.page.getByTestId('find-input').press('Escape');
  await expect(bar).toHaveCount(0);
  await openNotebook(vic.page, id);
  await vic.page.getByTestId('find-toggle').click();
  await vic.page.getByTestId('find-input').fill('sum_all');
  await expect(vic.page.getByTestId('find-count')).toHaveAttribute('data-count', '3');
  await expect(vic.page.getByTestId('replace-all')).toHaveCount(0);
});

test('the table of contents lists the headings, scrolls to a section, and shows where each collaborator is', async () => {
  const filler = (prefix: string): TestCell[] => Array.from({ length: 12 }, (_, i) => ({ id: `${prefix}${i}`, cell_type: 'code' as const, source: `${prefix}_${i} = ${i}\n\n\n` }));
  const id = await sharedNotebook('Contents', [
    { id: 'h1', cell_type: 'markdown', source: '# Loading' },
    ...filler('load'),
    { id: 'h2', cell_type: 'markdown', source: '## Cleaning\nsome text\n```\n# not a heading\n```' },
    ...filler('clean'),
    { id: 'h3', cell_type: 'markdown', source: '## Results' },
    ...filler('result'),
  ]);
  await ada.page.setViewportSize({ width: 1400, height: 900 });
  await openNotebook(ada.page, id);
  await openNotebook(bob.page, id);
  await ada.page.getByTestId('contents-toggle').click();
  const entries = ada.page.getByTestId('contents-entry');
  const titles = entries.getByRole('button');
  await expect(titles).toHaveText(['Loading', 'Cleaning', 'Results']);
  await expect(entries.nth(0)).toHaveAttribute('data-level', '1');
  await expect(entries.nth(1)).toHaveAttribute('data-level', '2');

  // Clicking a section brings its cell into view and selects it.
  await entries.filter({ hasText: 'Results' }).getByRole('button').click();
  const results = ada.page.locator('[data-testid="cell"][data-cell-id="h3"]');
  await expect(results).toBeInViewport();
  await expect(results).toHaveAttribute('data-mode', 'command');

  // Bob (on the first cell since he opened the page) is in "Loading"; he selects a cell of
  // "Cleaning": his face moves beside that section on Ada's panel.
  await expect(entries.filter({ hasText: 'Loading' }).getByTestId('contents-person')).toHaveAttribute('data-user-name', 'Bob');
  await bob.page.locator('[data-testid="cell"][data-cell-id="clean3"]').getByTestId('cell-prompt').click();
  await expect(entries.filter({ hasText: 'Cleaning' }).getByTestId('contents-person')).toHaveAttribute('data-user-name', 'Bob');
  await expect(entries.filter({ hasText: 'Loading' }).getByTestId('contents-person')).toHaveCount(0);
  // He moves on: the face follows.
  await bob.page.locator('[data-testid="cell"][data-cell-id="load1"]').getByTestId('cell-prompt').click();
  await expect(entries.filter({ hasText: 'Loading' }).getByTestId('contents-person')).toHaveAttribute('data-user-name', 'Bob');
  await expect(entries.filter({ hasText: 'Cleaning' }).getByTestId('contents-person')).toHaveCount(0);
  // A heading Bob adds appears live.
  await bob.page.keyboard.press('b');
  await bob.page.keyboard.press('m');
  await bob.page.keyboard.press('Enter');
  await bob.page.keyboard.insertText('### Sources');
  await expect(titles).toHaveText(['Loading', 'Sources', 'Cleaning', 'Results']);
});

test('H opens the shortcut sheet built from the key table; Escape closes it', async () => {
  const id = await sharedNotebook('Shortcuts', [{ id: 'one', cell_type: 'code', source: 'a = 1' }, { id: 'two', cell_type: 'code', source: 'b = 2' }]);
  await openNotebook(ada.page, id);
  await selectCell(ada.page, 0);
  await ada.page.keyboard.press('h');
  const sheet = ada.page.getByTestId('shortcut-sheet');
  await expect(sheet).toBeVisible();
  const commands = [...new Set(keyTable.map((b) => b.command))];
  await expect(sheet.getByTestId('shortcut-row')).toHaveCount(commands.length);
  await expect(sheet.locator('[data-command="copyCells"] kbd')).toHaveText(['C']);
  await expect(sheet.locator('[data-command="pasteAbove"] kbd')).toHaveText(['Shift+V']);
  await expect(sheet.locator('[data-command="deleteCell"] kbd')).toHaveText(['D, D']);
  await expect(sheet.locator('[data-command="selectNext"] kbd')).toHaveText(['J', '↓']);
  await ada.page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  // Back in command mode on the same cell: J moves on.
  await ada.page.keyboard.press('j');
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'command');
});

test('Escape with the completion list open closes the list and stays in edit mode', async () => {
  const id = await sharedNotebook('Completion escape', [{ id: 'one', cell_type: 'code', source: '' }]);
  await openNotebook(ada.page, id);
  await typeAndRun(ada.page, 0, 'import os');
  await expect(cellAt(ada.page, 0).getByTestId('cell-prompt')).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
  // Shift+Enter made cell 1 and is editing it.
  await ada.page.keyboard.insertText('os.getcw');
  await ada.page.keyboard.press('Tab');
  const list = ada.page.locator('.cm-tooltip-autocomplete');
  await expect(list).toBeVisible();
  await ada.page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'edit');
  await ada.page.keyboard.insertText('d');
  await expectSource(ada.page, 1, 'os.getcwd');
  // With no list open, Escape leaves the editor as before.
  await ada.page.keyboard.press('Escape');
  await expect(cellAt(ada.page, 1)).toHaveAttribute('data-mode', 'command');
});
