// The editor's frame holds while people collaborate, at 1400×900: the header
// stays one line whatever the kernel status says and however many people are
// here, and the toolbar stays directly under it (no gap, never covered), so Run
// and Interrupt are there exactly when someone else is running code. Fifty
// people: a compact avatar stack with "+N", and the full list, grouped and in
// natural order, in a popover.
import { test, expect, type Page } from '@playwright/test';
import { personIn, openNotebook, shareWith, importNotebook, type TestCell } from './helpers';
import { cellAt } from './notebook-page';
import { joinAsClient } from './crowd';

const viewport = { width: 1400, height: 900 };

/** Forty cells, enough to scroll the page well past the header. */
const manyCells = (): TestCell[] => Array.from({ length: 40 }, (_, i) => ({
  id: `c${i}`, cell_type: 'code', source: `value_${i} = ${i}\n# a second line\n# a third line`,
}));

/** The header's and the toolbar's boxes, as the page lays them out now. */
async function frame(page: Page) {
  const header = await page.locator('.notebook-header').boundingBox();
  const toolbar = await page.getByRole('toolbar', { name: 'Cell actions' }).boundingBox();
  if (!header || !toolbar) throw new Error('no header or toolbar on the page');
  return { header, toolbar };
}

/** Asserts the toolbar sits right under the header, in view, and that `button` is what a click at its centre reaches. */
async function expectToolbarReachable(page: Page, buttonTestId: string, headerHeight: number) {
  const { header, toolbar } = await frame(page);
  expect(header.y).toBe(0);
  expect(header.height).toBeCloseTo(headerHeight, 0);
  expect(Math.abs(toolbar.y - (header.y + header.height))).toBeLessThan(1);
  const hit = await page.getByTestId(buttonTestId).evaluate((button) => {
    const r = button.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top === button || button.contains(top);
  });
  expect(hit, `${buttonTestId} is on top at its own centre`).toBe(true);
}

test('the toolbar stays directly under a one-line header while a collaborator runs cells', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await importNotebook(ada.page, `Quarterly revenue analysis ${Date.now()}`, manyCells());
  await shareWith(ada.page, id, bob.email, 'editor');
  for (const p of [ada, bob]) {
    await p.page.setViewportSize(viewport);
    await openNotebook(p.page, id);
  }
  await expect(ada.page.getByTestId('presence-user')).toHaveCount(2);
  const quiet = (await frame(ada.page)).header.height;
  expect(quiet).toBeLessThanOrEqual(56);
  await expectToolbarReachable(ada.page, 'run-cell', quiet);

  // Bob runs a cell that only an interrupt ends, and queues two more: Ada's kernel status grows
  // ("busy · run by Bob · 2 queued") and stays so until Ada interrupts, however slow the machine.
  await cellAt(bob.page, 0).locator('.cm-content').click();
  await bob.page.keyboard.press('ControlOrMeta+a');
  await bob.page.keyboard.insertText('import time\ntime.sleep(600)');
  await bob.page.keyboard.press('Shift+Enter');
  await bob.page.keyboard.press('Shift+Enter');
  await bob.page.keyboard.press('Shift+Enter');
  await expect(ada.page.getByTestId('kernel-run-by')).toContainText('Bob', { timeout: 60_000 });
  await expect(ada.page.getByTestId('kernel-queue-length')).toBeVisible();
  await expectToolbarReachable(ada.page, 'interrupt-kernel', quiet);

  // Scrolled far down, the toolbar is still right under the header, and nothing shows between them.
  await ada.page.mouse.move(700, 500);
  await ada.page.mouse.wheel(0, 2500);
  await expect.poll(() => ada.page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
  await expectToolbarReachable(ada.page, 'interrupt-kernel', quiet);
  await ada.page.getByTestId('interrupt-kernel').click();
  await expect(ada.page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 30_000 });
});

test('fifty people: an avatar stack with +N, the full list grouped and in natural order, the frame unchanged', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const id = await importNotebook(ada.page, `Workshop of fifty ${Date.now()}`, manyCells());
  await ada.page.setViewportSize(viewport);
  await openNotebook(ada.page, id);
  const alone = (await frame(ada.page)).header.height;

  // One presenter and 48 attendees join (49 + Ada = 50), in an order that a plain string sort would scramble.
  const crowd = [await joinAsClient(id, 'Pat Presenter', 'editor', 0)];
  try {
    for (let i = 48; i >= 1; i--) crowd.push(await joinAsClient(id, `Attendee ${i}`, 'viewer', i));
    await expect(ada.page.getByTestId('presence-count')).toHaveAttribute('data-count', '50', { timeout: 60_000 });

    // Attendee 7 follows Ada.
    const adaClientId = Number(await ada.page.locator('[data-testid="presence-user"][data-me="true"]').getAttribute('data-client-id'));
    crowd[48 - 7 + 1].provider.awareness.setLocalStateField('following', adaClientId);

    // The header keeps its height and the page its width; the stack shows a few faces and "+N" for the rest.
    const shown = await ada.page.getByTestId('presence-avatar').count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(6);
    await expect(ada.page.getByTestId('presence-more')).toHaveText(`+${50 - shown}`);
    expect(await ada.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await expectToolbarReachable(ada.page, 'add-cell-below', alone);
    await cellAt(ada.page, 0).getByTestId('cell-prompt').click();
    await ada.page.getByTestId('add-cell-below').click();
    await expect(ada.page.getByTestId('cell')).toHaveCount(41);

    // The full list opens in a popover, grouped: presenters, following you, others, each in natural order.
    await ada.page.getByTestId('presence-toggle').click();
    const popover = ada.page.getByTestId('presence-popover');
    await expect(popover).toBeVisible();
    const names = async (group: string) => popover.locator(`[data-testid="presence-group"][data-group="${group}"] [data-testid="presence-user"]`)
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-user-name')));
    await expect.poll(() => names('following')).toEqual(['Attendee 7']);
    expect(await names('presenters')).toEqual(['Ada', 'Pat Presenter']);
    const others = await names('others');
    expect(others).toEqual(Array.from({ length: 48 }, (_, i) => `Attendee ${i + 1}`).filter((n) => n !== 'Attendee 7'));
    // The popover fits in the window (it scrolls inside), and the frame did not move.
    const box = await popover.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
    expect((await frame(ada.page)).header.height).toBeCloseTo(alone, 0);
    // A person's own entry is one line.
    const me = popover.locator('[data-testid="presence-user"][data-me="true"]');
    await expect(me).toContainText('Ada (you)');
    expect((await me.boundingBox())!.height).toBeLessThan(40);
    await ada.page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
  } finally {
    for (const c of crowd) c.destroy();
  }
});
