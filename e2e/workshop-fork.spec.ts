// A workshop from start to end in three browsers: the owner starts it and
// presents; Ada joins as a guest through the attendee link and follows; Bob
// joins the same way, makes his own copy ("Try it myself"), runs cells on his
// own kernel while the presenter's kernel keeps its state, and pulls the
// presenter's next change into his copy. The owner ends the workshop: Ada is
// shut out, Bob keeps his copy and can download it.
import { test, expect, type Page } from '@playwright/test';
import { personIn, openNotebook, cellEditor, followFromPresence, guestJoins, importNotebook } from './helpers';
import { cellAt, expectSource } from './notebook-page';

/** Kernel start and the first run can take a while on a busy machine. */
const KERNEL_TIMEOUT = 90_000;
/** A fork asks for its source every 5 s while visible. */
const UPSTREAM_TIMEOUT = 30_000;

const cells = [
  // A tag drawn once per kernel: sandboxed kernels all have pid 2 in their own pid namespace.
  'import uuid\nsecret = 41\nprint("kernel", globals().setdefault("kernel_tag", uuid.uuid4().hex))',
  'print(secret + 1)',
  'step = 3',
];

const importWorkshopNotebook = (page: Page) =>
  importNotebook(page, `workshop-fork-${Date.now()}`, cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', source })));

/** Runs the n-th cell (selected by a click on its prompt) with Ctrl+Enter. */
async function runCell(page: Page, index: number): Promise<void> {
  await cellAt(page, index).getByTestId('cell-prompt').click();
  await page.keyboard.press('Control+Enter');
}

/** Replaces the n-th cell's source through its editor, as typing would. */
async function retype(page: Page, index: number, code: string): Promise<void> {
  await cellEditor(page, index).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(code);
  await expectSource(page, index, code);
}

const stream = (page: Page, index: number) => cellAt(page, index).getByTestId('output-stream');
const personOn = (page: Page, name: string) => page.locator(`[data-testid="presence-user"][data-user-name="${name}"]`);

test("a workshop: attendees follow, one tries it on a kernel of his own and pulls the presenter's change; ending it keeps his copy", async ({ browser }) => {
  // The owner starts a workshop from the share page: viewer attendees by default.
  const grace = await personIn(browser, 'Grace');
  const id = await importWorkshopNotebook(grace.page);
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('start-workshop').click();
  const attendeeLink = await grace.page.getByTestId('workshop-attendee-link').inputValue();
  expect(attendeeLink).toMatch(/\/join\//);
  await expect(grace.page.getByTestId('workshop-presenter-link')).toHaveValue(/\/join\//);

  // Grace presents: her first cell runs on the notebook's kernel.
  await openNotebook(grace.page, id);
  await runCell(grace.page, 0);
  await expect(stream(grace.page, 0)).toHaveText(/^kernel [0-9a-f]{32}\n$/, { timeout: KERNEL_TIMEOUT });
  const presenterPid = (await stream(grace.page, 0).textContent())!.trim();

  // Ada joins as a guest, sees the output, and follows Grace to her next cell.
  const { page: ada } = await guestJoins(browser, attendeeLink, 'Ada');
  await expect(ada.getByTestId('read-only')).toBeVisible();
  await expect(stream(ada, 0)).toHaveText(`${presenterPid}\n`);
  await expect(grace.page.getByTestId('present-count')).toHaveAttribute('data-count', '2');
  await followFromPresence(ada, 'Grace');
  await expect(ada.getByTestId('follow-bar')).toHaveAttribute('data-follow-state', 'following');
  await cellAt(grace.page, 2).getByTestId('cell-prompt').click();
  await expect(personOn(ada, 'Grace')).toHaveAttribute('data-cell-id', 'c2');

  // Bob joins, makes his own copy and opens it instead of the live notebook.
  const { page: bob } = await guestJoins(browser, attendeeLink, 'Bob');
  await bob.getByTestId('try-it-myself').click();
  await expect(bob.getByTestId('try-it-guest-hint')).toBeVisible();
  await bob.getByTestId('open-fork-here').click();
  await expect(bob).not.toHaveURL(new RegExp(`/notebooks/${id}$`));
  await expect(bob.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  const forkId = new URL(bob.url()).pathname.split('/').pop()!;
  await expect(bob.getByTestId('read-only')).toHaveCount(0);
  await expect(stream(bob, 0)).toHaveText(`${presenterPid}\n`); // the copy has the notebook as it stood

  // His runs go to a kernel of his own: another process, and the presenter's state untouched.
  await runCell(bob, 0);
  await expect(stream(bob, 0)).toHaveText(/^kernel [0-9a-f]{32}\n$/, { timeout: KERNEL_TIMEOUT });
  await expect(stream(bob, 0)).not.toHaveText(`${presenterPid}\n`);
  await retype(bob, 2, 'secret = 0\nprint("mine", secret)');
  await runCell(bob, 2);
  await expect(stream(bob, 2)).toHaveText('mine 0\n', { timeout: KERNEL_TIMEOUT });
  await runCell(grace.page, 1);
  await expect(stream(grace.page, 1)).toHaveText('42\n', { timeout: KERNEL_TIMEOUT });
  await expect(cellAt(grace.page, 1).getByTestId('cell-prompt')).toHaveText('[2]:');
  await expect(stream(ada, 1)).toHaveText('42\n');

  // Grace changes a cell; Bob's copy offers exactly that change and pulls it, keeping his own edit.
  await retype(grace.page, 1, 'print(secret + 1)\nprint("and one more step")');
  const toggle = bob.getByTestId('upstream-toggle');
  await expect(toggle).toHaveText('Updates from source (1)', { timeout: UPSTREAM_TIMEOUT });
  await toggle.click();
  const change = bob.getByTestId('upstream-change');
  await expect(change).toHaveCount(1);
  await expect(change).toHaveAttribute('data-cell-id', 'c1');
  await expect(change).toHaveAttribute('data-kind', 'changed');
  await change.getByTestId('upstream-pull').click();
  await expectSource(bob, 1, 'print(secret + 1)\nprint("and one more step")');
  await expectSource(bob, 2, 'secret = 0\nprint("mine", secret)');
  await expect(bob.getByTestId('upstream-none')).toBeVisible();
  await expect(toggle).toHaveText('Updates from source');

  // Grace ends the workshop: Ada is disconnected and shut out; Bob keeps his copy.
  await grace.page.goto(`/share/${id}`);
  await grace.page.getByTestId('end-workshop').click();
  await expect(grace.page.getByTestId('workshop-ended-note')).toBeVisible();
  await expect(ada.getByTestId('notebook-closed')).toBeVisible();
  await ada.reload();
  await expect(ada.getByTestId('workshop-ended')).toBeVisible();
  await expect(ada.getByTestId('cell')).toHaveCount(0);

  await openNotebook(bob, forkId);
  await expectSource(bob, 1, 'print(secret + 1)\nprint("and one more step")');
  await expect(bob.getByTestId('upstream-toggle')).toHaveCount(0); // the source is closed to him now
  const download = await bob.request.get(`/api/notebooks/${forkId}/export?format=ipynb`);
  expect(download.status()).toBe(200);
  const file = JSON.parse(await download.text()) as { cells: { source: string | string[] }[] };
  expect(file.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))[2]).toBe('secret = 0\nprint("mine", secret)');

  for (const page of [grace.page, ada, bob]) await page.context().close();
});
