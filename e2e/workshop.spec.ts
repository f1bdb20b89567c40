// A workshop in three browsers: the presenter moves through a long notebook, an
// attendee following them sees the presenter's cell come into view each time
// (and, after scrolling away, catches up on demand); another attendee raises a
// hand on a cell, which the presenter sees in their queue and lowers. And a
// workshop's lifecycle: the owner starts it, a guest makes a copy of their own
// with "Try it myself" and runs it, the owner ends it, the copy stays theirs.
import { test, expect, type Page } from '@playwright/test';
import { personIn, openNotebook, shareWith, followFromPresence, guestJoins, importNotebook, type TestCell } from './helpers';
import { cellAt } from './notebook-page';

const cellCount = 30;

/** A notebook long enough to scroll: 30 code cells of eight lines each. */
const longCells: TestCell[] = Array.from({ length: cellCount }, (_, i) => ({
  id: `step-${i}`,
  cell_type: 'code',
  source: Array.from({ length: 8 }, (_, line) => `step_${i} = ${line}  # line ${line + 1}\n`).join('').trimEnd(),
}));

const importLongNotebook = (page: Page) => importNotebook(page, `workshop-${Date.now()}`, longCells);

/** The presence-list entry of `name` as seen on `page`. */
const personOn = (page: Page, name: string) => page.locator(`[data-testid="presence-user"][data-user-name="${name}"]`);

test('attendees follow the presenter and raise hands the presenter sees', async ({ browser }) => {
  const grace = await personIn(browser, 'Grace');
  const id = await importLongNotebook(grace.page);
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  await shareWith(grace.page, id, ada.email, 'viewer');
  await shareWith(grace.page, id, bob.email, 'viewer');
  // Hands and head counts belong to a live workshop.
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('start-workshop').click();
  await expect(grace.page.getByTestId('workshop-attendee-link')).toHaveValue(/\/join\//);
  for (const p of [grace, ada, bob]) await openNotebook(p.page, id);

  // The presenter sees everyone; attendees see no presenter panel.
  await expect(grace.page.getByTestId('present-count')).toHaveAttribute('data-count', '3');
  await expect(ada.page.getByTestId('presenter-panel')).toHaveCount(0);

  // Ada follows Grace; Grace's panel counts her.
  await followFromPresence(ada.page, 'Grace');
  await expect(ada.page.getByTestId('follow-bar')).toHaveAttribute('data-follow-state', 'following');
  const followedAtGrace = grace.page.locator('[data-testid="followed-person"][data-user-name="Grace"]');
  await expect(followedAtGrace).toHaveAttribute('data-followers', '1');

  // Grace goes to a cell far down; it comes into view at Ada's.
  const last = cellCount - 1;
  await cellAt(grace.page, last).getByTestId('cell-prompt').click();
  await expect(personOn(ada.page, 'Grace')).toHaveAttribute('data-cell-id', `step-${last}`);
  await expect(cellAt(ada.page, last)).toBeInViewport();
  await expect(cellAt(ada.page, 0)).not.toBeInViewport();

  // Grace moves up to cell 12; Ada's window goes with her.
  await grace.page.keyboard.press('Escape');
  for (let i = last; i > 12; i--) await grace.page.keyboard.press('k');
  await expect(cellAt(grace.page, 12)).toHaveAttribute('data-mode', 'command');
  await expect(personOn(ada.page, 'Grace')).toHaveAttribute('data-cell-id', 'step-12');
  await expect(cellAt(ada.page, 12)).toBeInViewport();

  // Ada scrolls away on her own: following pauses and her window stays hers.
  await ada.page.mouse.move(300, 400);
  await ada.page.mouse.wheel(0, 2500);
  await expect(ada.page.getByTestId('follow-bar')).toHaveAttribute('data-follow-state', 'paused');
  await expect(followedAtGrace).toContainText('1 scrolled away');
  await grace.page.keyboard.press('k');
  await grace.page.keyboard.press('k');
  await expect(personOn(ada.page, 'Grace')).toHaveAttribute('data-cell-id', 'step-10');
  await expect(cellAt(ada.page, 10)).not.toBeInViewport();

  // "Catch up" brings her back to Grace's cell, and following goes on.
  await ada.page.getByTestId('catch-up').click();
  await expect(cellAt(ada.page, 10)).toBeInViewport();
  await expect(ada.page.getByTestId('follow-bar')).toHaveAttribute('data-follow-state', 'following');

  // Bob raises his hand on cell 3; Grace sees who and where.
  await cellAt(bob.page, 3).getByTestId('cell-prompt').click();
  await expect(personOn(grace.page, 'Bob')).toHaveAttribute('data-cell-id', 'step-3');
  await bob.page.getByTestId('raise-hand').click();
  const bobsHand = grace.page.locator('[data-testid="raised-hand"][data-user-name="Bob"]');
  await expect(bobsHand).toHaveAttribute('data-cell-id', 'step-3');
  await expect(bobsHand).toContainText('Bob — cell 4');
  await expect(ada.page.getByTestId('hand-queue')).toHaveCount(0);

  // Grace lowers it: gone from her queue, and Bob's page shows his hand down.
  await bobsHand.getByTestId('lower-hand').click();
  await expect(grace.page.getByTestId('raised-hand')).toHaveCount(0);
  await expect(bob.page.getByTestId('raise-hand')).toBeVisible();
  await expect(bob.page.getByTestId('lower-my-hand')).toHaveCount(0);

  for (const p of [grace, ada, bob]) await p.context.close();
});

test('an owner runs a workshop: a guest tries the code in a copy of their own, which stays theirs after the workshop ends', async ({ browser }) => {
  const grace = await personIn(browser, 'Grace');
  const id = await importLongNotebook(grace.page);

  // Grace starts the workshop on the Share page and copies the attendee link.
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('start-workshop').click();
  const attendeeLink = grace.page.getByTestId('workshop-attendee-link');
  await expect(attendeeLink).toHaveValue(/^http:\/\/[^/]+\/join\/[A-Za-z0-9_-]{43}$/);
  await expect(grace.page.getByTestId('workshop-presenter-link')).toHaveValue(/\/join\/[A-Za-z0-9_-]{43}$/);
  const joinUrl = await attendeeLink.inputValue();
  await openNotebook(grace.page, id);

  // A guest with no account joins through it: an attendee, with "Try it myself" and no presenter panel.
  const { context: guestContext, page: gil } = await guestJoins(browser, joinUrl, 'Gil');
  await expect(gil.getByTestId('presenter-panel')).toHaveCount(0);
  await expect(grace.page.getByTestId('try-it-myself')).toHaveCount(0);

  await gil.getByTestId('try-it-myself').click();
  const here = gil.getByTestId('open-fork-here');
  await expect(here).toHaveAttribute('href', /^\/notebooks\/[^/]+$/);
  await expect(gil.getByTestId('open-fork-beside')).toHaveAttribute('href', (await here.getAttribute('href'))!);
  await expect(gil.getByTestId('open-fork-beside')).toHaveAttribute('target', '_blank');
  const forkPath = (await here.getAttribute('href'))!;
  await here.click();
  await expect(gil).toHaveURL(new RegExp(`${forkPath}$`));
  await expect(gil.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(gil.getByTestId('guest-copy-notice')).toBeVisible();
  await expect(gil.getByTestId('share-link')).toHaveCount(0);

  // Gil's copy is his to change and run, on its own kernel; the workshop notebook is untouched.
  await cellAt(gil, 0).locator('.cm-content').click();
  await gil.keyboard.press('Control+End');
  await gil.keyboard.insertText('\nprint(step_0 * 6)');
  await gil.keyboard.press('Shift+Enter');
  await expect(cellAt(gil, 0).getByTestId('output-stream')).toHaveText('42\n', { timeout: 60_000 });
  await expect(cellAt(grace.page, 0)).not.toContainText('print(step_0 * 6)');

  // Back in the workshop (a fresh page load), the way to his copy is still there.
  await gil.goto(`/notebooks/${id}`);
  await expect(gil.getByTestId('open-fork-here')).toHaveAttribute('href', forkPath);
  await expect(gil.getByTestId('try-it-myself')).toHaveText('Another copy');

  // Grace ends the workshop: the link stops working, Gil's copy stays his, now with a date.
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('end-workshop').click();
  await expect(grace.page.getByTestId('workshop-ended-note')).toBeVisible();
  await expect(grace.page.getByTestId('start-workshop')).toBeVisible();
  await gil.goto(`/notebooks/${id}`);
  await expect(gil.getByTestId('workshop-ended')).toBeVisible();
  await gil.goto(forkPath);
  await expect(gil.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(gil.getByTestId('guest-copy-notice')).toHaveAttribute('data-expires-at', /^\d{4}-/);
  await expect(cellAt(gil, 0).getByTestId('output-stream')).toHaveText('42\n');

  await guestContext.close();
  await grace.context.close();
});

test('outside a workshop, two people in a notebook see no hands or head counts, only Follow', async ({ browser }) => {
  const grace = await personIn(browser, 'Grace');
  const id = await importLongNotebook(grace.page);
  const ada = await personIn(browser, 'Ada');
  await shareWith(grace.page, id, ada.email, 'viewer');
  for (const p of [grace, ada]) await openNotebook(p.page, id);
  await expect(personOn(grace.page, 'Ada')).toHaveCount(1);
  await followFromPresence(ada.page, 'Grace');
  await expect(ada.page.getByTestId('follow-bar')).toHaveAttribute('data-follow-state', 'following');
  for (const p of [grace, ada]) {
    await expect(p.page.getByTestId('raise-hand')).toHaveCount(0);
    await expect(p.page.getByTestId('present-count')).toHaveCount(0);
  }
  for (const p of [grace, ada]) await p.context.close();
});

test('a workshop that ends under an attendee: the notice is in view, workshop actions are gone, a hand names the followed cell', async ({ browser }) => {
  const grace = await personIn(browser, 'Grace');
  const id = await importLongNotebook(grace.page);
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('start-workshop').click();
  const joinUrl = await grace.page.getByTestId('workshop-attendee-link').inputValue();
  await expect(grace.page.getByTestId('workshop-attendee-link')).toHaveValue(/\/join\//);
  // Its two links are labelled on the Share page, not bare "Link · no expiry" rows.
  await grace.page.reload();
  const workshopName = /workshop of \d{4}-\d\d-\d\d \d\d:\d\d UTC/.source;
  const labelOf = (kind: string) => grace.page.locator(`[data-testid="link"][data-workshop-link="${kind}"]`).getByTestId('link-label');
  await expect(labelOf('attendee')).toHaveText(new RegExp(`^Workshop attendee link · ${workshopName} · viewer$`));
  await expect(labelOf('presenter')).toHaveText(new RegExp(`^Workshop presenter link · ${workshopName} · editor$`));
  await expect(grace.page.getByTestId('link-label').filter({ hasText: /^Link · / })).toHaveCount(0);
  await openNotebook(grace.page, id);

  const { context: guestContext, page: gil } = await guestJoins(browser, joinUrl, 'Gil');

  // Gil follows Grace down to cell 21 and raises his hand without clicking a cell: it is on hers.
  await followFromPresence(gil, 'Grace');
  await cellAt(grace.page, 20).getByTestId('cell-prompt').click();
  await expect(cellAt(gil, 20)).toBeInViewport();
  await gil.getByTestId('raise-hand').click();
  await expect(grace.page.locator('[data-testid="raised-hand"][data-user-name="Gil"]')).toContainText('Gil — cell 21');

  // The "Following" button keeps readable colours under the pointer.
  await gil.getByTestId('presence-toggle').click();
  const following = gil.getByTestId('presence-popover').locator('[data-testid="follow-person"][aria-pressed="true"]');
  await following.hover();
  const colours = await following.evaluate((b) => { const s = getComputedStyle(b); return [s.color, s.backgroundColor]; });
  expect(colours[0]).not.toBe(colours[1]);
  await gil.keyboard.press('Escape');

  // Grace ends the workshop from her notebook's Share page (another tab).
  const share = await grace.context.newPage();
  await share.goto(`/share/${id}`);
  await share.getByTestId('end-workshop').click();
  await expect(share.getByTestId('workshop-ended-note')).toBeVisible();
  await share.reload();
  await expect(share.locator('[data-testid="link"][data-workshop-link="attendee"]').getByTestId('link-label')).toHaveText(/^Revoked workshop attendee link · workshop of /);

  // Gil, scrolled down, sees that it ended where he is, and no stale workshop actions.
  await expect(gil.getByTestId('notebook-closed')).toBeInViewport();
  await expect(gil.getByTestId('lower-my-hand')).toHaveCount(0);
  await expect(gil.getByTestId('raise-hand')).toHaveCount(0);
  await expect(gil.getByTestId('try-it-myself')).toHaveCount(0);

  await guestContext.close();
  await grace.context.close();
});
