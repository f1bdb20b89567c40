// One shared kernel, two browsers: what one person runs, both watch happen.
// Runs, running state, input(), rich outputs, interrupt, and a kernel's death
// and restart, each checked in both browsers against the real kernel bridge and
// a real ipykernel. Nothing waits on a clock: every step waits for a condition.
import { test, expect, type Page } from '@playwright/test';
import { personIn, createNotebookFromList, openNotebook, cellEditor, shareWith, twoPeopleOnANewNotebook, typeAndRun } from './helpers';

/** Kernel start, matplotlib's first import and font cache can take a while on a busy machine. */
const KERNEL_TIMEOUT = 60_000;

const cell = (page: Page, index: number) => page.getByTestId('cell').nth(index);
const prompt = (page: Page, index: number) => cell(page, index).getByTestId('cell-prompt');
const stream = (page: Page, index: number) => cell(page, index).getByTestId('output-stream');

test('a run on the shared kernel reaches both browsers live, and input() asks only the person who ran it', async ({ browser }) => {
  const { ada, bob } = await twoPeopleOnANewNotebook(browser, 'Shared kernel');
  await expect(ada.page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'none');

  // Ada runs a print with Shift+Enter: both see the output, and the next cell is selected.
  await typeAndRun(ada.page, 0, "print('hi')");
  for (const { page } of [ada, bob]) {
    await expect(stream(page, 0)).toHaveText('hi\n', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(page, 0)).toHaveText('[1]:');
    await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle');
  }
  await expect(ada.page.getByTestId('cell')).toHaveCount(2);
  await expect(cell(ada.page, 1)).toHaveAttribute('data-mode', 'edit');

  // A cell that prints over time: Bob records what he sees on every frame while it runs.
  await bob.page.evaluate(() => {
    const seen = { running: false, elapsed: false, runBy: false, partial: false };
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    const look = () => {
      const target = document.querySelectorAll('[data-testid="cell"]')[1];
      if (target) {
        if (target.querySelector('[data-testid="cell-prompt"]')?.textContent === '[*]:') seen.running = true;
        if (target.querySelector('[data-testid="elapsed-time"]')?.textContent?.endsWith(' s')) seen.elapsed = true;
        if (document.querySelector('[data-testid="kernel-run-by"]')?.textContent?.includes('Ada')) seen.runBy = true;
        const out = target.querySelector('[data-testid="output-stream"]')?.textContent ?? '';
        if (out.startsWith('0\n') && !out.includes('2')) seen.partial = true;
      }
      requestAnimationFrame(look);
    };
    look();
  });
  await typeAndRun(ada.page, 1, 'import time\nfor i in range(3): print(i, flush=True); time.sleep(0.3)');
  await expect(stream(bob.page, 1)).toHaveText('0\n1\n2\n', { timeout: KERNEL_TIMEOUT });
  await expect(prompt(bob.page, 1)).toHaveText('[2]:');
  await expect(cell(bob.page, 1).getByTestId('elapsed-time')).toHaveCount(0);
  const seen = await bob.page.evaluate(() => (window as unknown as { __seen: Record<string, boolean> }).__seen);
  expect(seen).toEqual({ running: true, elapsed: true, runBy: true, partial: true });

  // input(): the prompt appears for Ada only; Bob sees that the cell waits for her.
  await typeAndRun(ada.page, 2, "name = input('name? ')\nprint('hello', name)");
  await expect(cell(ada.page, 2).getByTestId('stdin-prompt')).toContainText('name?', { timeout: KERNEL_TIMEOUT });
  await expect(cell(bob.page, 2).getByTestId('stdin-waiting')).toContainText('Ada');
  await expect(bob.page.getByTestId('stdin-prompt')).toHaveCount(0);
  await expect(bob.page.getByTestId('stdin-input')).toHaveCount(0);
  await ada.page.getByTestId('stdin-input').fill('Grace');
  await ada.page.getByTestId('stdin-input').press('Enter');
  for (const { page } of [ada, bob]) {
    await expect(stream(page, 2)).toHaveText('name? Grace\nhello Grace\n');
    await expect(page.getByTestId('stdin-prompt')).toHaveCount(0);
    await expect(prompt(page, 2)).toHaveText('[3]:');
  }

  await ada.context.close();
  await bob.context.close();
});

test('rich outputs: a DataFrame in a sandboxed frame, a matplotlib plot as a PNG, HTML that cannot read the app\'s cookies', async ({ browser }) => {
  const { ada, bob } = await twoPeopleOnANewNotebook(browser, 'Rich outputs');

  await typeAndRun(ada.page, 0, "import pandas as pd\npd.DataFrame({'a': [1, 2], 'b': [3, 4]})");
  await typeAndRun(ada.page, 1, 'import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()');
  await typeAndRun(ada.page, 2, "from IPython.display import HTML\nHTML('<p id=probe>?</p><script>var r; try { r = document.cookie; } catch (e) { r = e.name; } document.getElementById(\"probe\").textContent = \"cookie:\" + r;</script>')");

  for (const { page } of [ada, bob]) {
    // The table: text/html in an iframe whose sandbox lets scripts run but keeps it off the app's origin.
    const table = cell(page, 0).locator('[data-testid="output"][data-mime="text/html"]');
    await expect(table).toHaveCount(1, { timeout: KERNEL_TIMEOUT });
    const frame = table.getByTestId('output-frame');
    const sandbox = await frame.getAttribute('sandbox');
    expect(sandbox).not.toBeNull();
    expect(sandbox).not.toContain('allow-same-origin');
    await expect(table.frameLocator('iframe').locator('table')).toBeVisible();
    await expect(table.frameLocator('iframe').locator('table td').first()).toHaveText(/\d/);

    // The plot: display_data drawn as a PNG image.
    const plot = cell(page, 1).locator('[data-testid="output"][data-mime="image/png"] img');
    await expect(plot).toBeVisible({ timeout: KERNEL_TIMEOUT });
    expect(await plot.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(await plot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);

    // The script ran, inside an opaque origin: reading document.cookie fails there.
    const probe = cell(page, 2).frameLocator('iframe').locator('#probe');
    await expect(probe).toHaveText('cookie:SecurityError', { timeout: KERNEL_TIMEOUT });
  }

  await ada.context.close();
  await bob.context.close();
});

test('interrupt stops a long sleep with KeyboardInterrupt, and a dead kernel is reported to everyone until a restart', async ({ browser }) => {
  const { ada, bob } = await twoPeopleOnANewNotebook(browser, 'Interrupt and death');

  // Interrupt.
  await typeAndRun(ada.page, 0, 'import time\ntime.sleep(60)');
  for (const { page } of [ada, bob]) {
    await expect(prompt(page, 0)).toHaveText('[*]:', { timeout: KERNEL_TIMEOUT });
    await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'busy', { timeout: KERNEL_TIMEOUT });
  }
  await expect(cell(bob.page, 0).getByTestId('elapsed-time')).toBeVisible();
  await ada.page.getByTestId('interrupt-kernel').click();
  for (const { page } of [ada, bob]) {
    await expect(cell(page, 0).getByTestId('output-error')).toContainText('KeyboardInterrupt');
    await expect(prompt(page, 0)).toHaveText('[1]:');
    await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle');
  }

  // Death: both are told, with the reason; running again is refused until a restart.
  await typeAndRun(ada.page, 1, 'import os; os._exit(1)');
  for (const { page } of [ada, bob]) {
    await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'dead', { timeout: KERNEL_TIMEOUT });
    await expect(page.getByTestId('kernel-dead')).toBeVisible();
    await expect(page.getByTestId('kernel-dead-reason')).not.toBeEmpty();
  }
  await ada.page.keyboard.press('Escape');
  await cell(ada.page, 0).click({ position: { x: 4, y: 4 } });
  await ada.page.getByTestId('run-cell').click();
  await expect(ada.page.getByTestId('kernel-notice')).toContainText(/restart/i);

  await bob.page.getByTestId('restart-dead-kernel').click();
  for (const { page } of [ada, bob]) {
    await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: KERNEL_TIMEOUT });
    await expect(page.getByTestId('kernel-dead')).toHaveCount(0);
  }

  // The restarted kernel runs again, and Ada's notice about the refused run goes away.
  await typeAndRun(ada.page, 2, "print('back')");
  await expect(stream(bob.page, 2)).toHaveText('back\n', { timeout: KERNEL_TIMEOUT });
  await expect(prompt(bob.page, 2)).toHaveText('[1]:');
  await expect(ada.page.getByTestId('kernel-notice')).toHaveCount(0);

  await ada.context.close();
  await bob.context.close();
});

test('run keys and the Run menu run the cells they name, for everyone; a viewer watches but cannot run', async ({ browser }) => {
  const { ada, bob, id } = await twoPeopleOnANewNotebook(browser, 'Run controls');
  const prompts = async (page: Page) => page.getByTestId('cell-prompt').allTextContents();

  // Ctrl+Enter runs in place; Alt+Enter runs and inserts a cell below, in edit mode.
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.insertText('a = 1');
  await ada.page.keyboard.press('Control+Enter');
  await expect(prompt(bob.page, 0)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
  await expect(cell(ada.page, 0)).toHaveAttribute('data-mode', 'command');
  await expect(ada.page.getByTestId('cell')).toHaveCount(1);
  await ada.page.keyboard.press('Alt+Enter');
  await expect(prompt(bob.page, 0)).toHaveText('[2]:');
  await expect(ada.page.getByTestId('cell')).toHaveCount(2);
  await expect(cell(ada.page, 1)).toHaveAttribute('data-mode', 'edit');
  await ada.page.keyboard.insertText('b = a + 1');
  await ada.page.keyboard.press('Escape');
  await ada.page.keyboard.press('b');
  await ada.page.keyboard.press('Enter');
  await ada.page.keyboard.insertText('print(a + b)');
  await ada.page.keyboard.press('Escape');
  await expect(bob.page.getByTestId('cell')).toHaveCount(3);

  // Run all above the selected (third) cell.
  await ada.page.getByTestId('run-menu').click();
  await ada.page.getByTestId('run-above').click();
  await expect.poll(() => prompts(bob.page)).toEqual(['[3]:', '[4]:', '[ ]:']);

  // Run the second cell and all below it.
  await cell(ada.page, 1).click({ position: { x: 4, y: 4 } });
  await ada.page.getByTestId('run-menu').click();
  await ada.page.getByTestId('run-below').click();
  await expect.poll(() => prompts(bob.page)).toEqual(['[3]:', '[5]:', '[6]:']);
  await expect(stream(bob.page, 2)).toHaveText('3\n');

  // Clear outputs: gone for everyone, counts too.
  await ada.page.getByTestId('run-menu').click();
  await ada.page.getByTestId('clear-outputs').click();
  await expect.poll(() => prompts(bob.page)).toEqual(['[ ]:', '[ ]:', '[ ]:']);
  await expect(bob.page.getByTestId('output')).toHaveCount(0);

  // Restart & run all asks first, since the kernel's state is everyone's.
  // Declined: nothing restarts, so Run all continues the count.
  ada.page.once('dialog', (dialog) => void dialog.dismiss());
  await ada.page.getByTestId('restart-run-all').click();
  await ada.page.getByTestId('run-menu').click();
  await ada.page.getByTestId('run-all').click();
  await expect.poll(() => prompts(bob.page)).toEqual(['[7]:', '[8]:', '[9]:']);
  // Accepted: the count starts from 1 again; Run all continues it.
  let asked = '';
  ada.page.once('dialog', (dialog) => { asked = dialog.message(); void dialog.accept(); });
  await ada.page.getByTestId('restart-run-all').click();
  await expect.poll(() => prompts(bob.page), { timeout: KERNEL_TIMEOUT }).toEqual(['[1]:', '[2]:', '[3]:']);
  expect(asked).toMatch(/Restart the kernel and run all cells\? .*lost, for everyone/);
  await expect(stream(bob.page, 2)).toHaveText('3\n');
  await ada.page.getByTestId('run-menu').click();
  await ada.page.getByTestId('run-all').click();
  await expect.poll(() => prompts(bob.page)).toEqual(['[4]:', '[5]:', '[6]:']);

  // Run selected: Shift+J grows the selection to two cells; the menu runs just those.
  await cell(ada.page, 0).click({ position: { x: 4, y: 4 } });
  await ada.page.keyboard.press('Shift+J');
  await expect(cell(ada.page, 1)).toHaveAttribute('data-selected', 'true');
  await expect(cell(ada.page, 2)).not.toHaveAttribute('data-selected', 'true');
  await ada.page.getByTestId('run-menu').click();
  await ada.page.getByTestId('run-selected').click();
  await expect.poll(() => prompts(bob.page)).toEqual(['[7]:', '[8]:', '[6]:']);
  // Shift+Enter on a selection (Shift+click extends it too) runs all of it.
  await cell(ada.page, 1).click({ position: { x: 4, y: 4 } });
  await cell(ada.page, 2).click({ position: { x: 4, y: 4 }, modifiers: ['Shift'] });
  await ada.page.keyboard.press('Shift+Enter');
  await expect.poll(() => prompts(bob.page)).toEqual(['[7]:', '[9]:', '[10]:', '[ ]:']);

  // Every installed kernelspec is offered; the running one is chosen.
  const kernels = ada.page.getByTestId('kernel-select');
  await expect(kernels).toHaveValue('python3');
  await expect(kernels.locator('option', { hasText: 'Python 3 (ipykernel)' })).toHaveCount(1);

  // A viewer sees the kernel and the outputs, and nothing to run with.
  const vic = await personIn(browser, 'Vic');
  await shareWith(ada.page, id, vic.email, 'viewer');
  await openNotebook(vic.page, id);
  await expect(vic.page.getByTestId('read-only')).toBeVisible();
  await expect(vic.page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle');
  await expect(stream(vic.page, 2)).toHaveText('3\n');
  for (const control of ['run-cell', 'run-menu', 'interrupt-kernel', 'restart-kernel', 'restart-run-all', 'kernel-select']) {
    await expect(vic.page.getByTestId(control)).toHaveCount(0);
  }
  await cellEditor(vic.page, 2).click();
  await vic.page.keyboard.type('x');
  await vic.page.keyboard.press('Shift+Enter');
  await vic.page.keyboard.press('Control+Enter');
  await expect(cellEditor(vic.page, 2)).toHaveText('print(a + b)');
  // Nothing ran: Bob, who can, runs next and gets the next count.
  await cellEditor(bob.page, 0).click();
  await bob.page.keyboard.press('Control+Enter');
  await expect(prompt(vic.page, 0)).toHaveText('[11]:');
  await expect(prompt(vic.page, 2)).toHaveText('[10]:');

  await ada.context.close();
  await bob.context.close();
  await vic.context.close();
});

test('Tab completes from the kernel and Shift+Tab shows its help', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const id = await createNotebookFromList(ada.page, `Completion ${Date.now()}`);
  await openNotebook(ada.page, id);
  await typeAndRun(ada.page, 0, 'import os');
  await expect(prompt(ada.page, 0)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });

  // Cell 1 is being edited (Shift+Enter made it).
  await ada.page.keyboard.insertText('os.getcw');
  await ada.page.keyboard.press('Tab');
  const list = ada.page.locator('.cm-tooltip-autocomplete');
  await expect(list).toBeVisible();
  await expect(list.locator('.cm-completionLabel').first()).toHaveText('getcwd');
  await ada.page.keyboard.press('Tab');
  await expect(cellEditor(ada.page, 1)).toHaveText('os.getcwd');
  await expect(list).toHaveCount(0);

  await ada.page.keyboard.press('Shift+Tab');
  const help = ada.page.getByTestId('inspect-tooltip');
  await expect(help).toContainText('current working directory');
  // Moving on closes it.
  await ada.page.keyboard.insertText('()');
  await expect(help).toHaveCount(0);
  await expect(cellEditor(ada.page, 1)).toHaveText('os.getcwd()');

  await ada.context.close();
});
