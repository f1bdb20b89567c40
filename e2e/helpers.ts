// Shared steps of the browser tests: signing up, creating, sharing and opening notebooks.
import { expect, type Page, type Browser, type BrowserContext } from '@playwright/test';

/** People of the running test file whose browser is still open, with their account's email. */
const present: { name: string; email: string; context: BrowserContext }[] = [];

/** A fresh browser context whose user has just signed up (a new account named `name`) and is signed in. */
export async function personIn(browser: Browser, name: string): Promise<{ context: BrowserContext; page: Page; email: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error: ${err.message}`));
  const email = `${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await signUp(page, name, email);
  const person = { name, email, context };
  present.push(person);
  context.on('close', () => present.splice(present.indexOf(person), 1));
  return { context, page, email };
}

/** Creates an account through the sign-up page; the browser is signed in afterwards. */
export async function signUp(page: Page, name: string, email: string, password = 'e2e password'): Promise<void> {
  await page.goto('/sign-up');
  await page.getByTestId('account-name').fill(name);
  await page.getByTestId('account-email').fill(email);
  await page.getByTestId('account-password').fill(password);
  await page.getByTestId('account-submit').click();
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}

/** Gives a person an account role on a notebook through its share page (the page must be signed in as an owner). */
export async function shareWith(page: Page, id: string, email: string, role: 'owner' | 'editor' | 'viewer'): Promise<void> {
  await page.goto(`/share/${id}`);
  await page.getByTestId('member-email').fill(email);
  await page.getByTestId('member-role').selectOption(role);
  await page.getByTestId('member-add').click();
  await expect(page.locator(`[data-testid="member"][data-email="${email.toLowerCase()}"]`)).toHaveCount(1);
}

/** The web app's port in the product under test (playwright.config.ts starts it there, and the collab server on the next one). */
const e2ePort = Number(process.env.E2E_PORT ?? 3310);

/** The web app's origin in the product under test. */
export function baseUrl(): string {
  return `http://localhost:${e2ePort}`;
}

/** The collab server's port in the product under test. */
export const collabPort = e2ePort + 1;

/**
 * Creates a notebook from the list page, which opens it, and returns its id;
 * the other people present become its editors.
 */
export async function createNotebookFromList(page: Page, title: string): Promise<string> {
  await page.goto('/');
  await page.getByTestId('new-notebook-title').fill(title);
  await page.getByTestId('create-notebook').click();
  await expect(page).toHaveURL(/\/notebooks\/[^/?#]+$/);
  await expect(page.getByTestId('notebook-title')).toHaveText(title);
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  // Everyone else in this test (their browsers open) may edit it, as if the creator had shared it.
  const creator = present.find((p) => p.context === page.context());
  for (const other of present.filter((p) => p !== creator)) await shareWith(page, id, other.email, 'editor');
  return id;
}

/** Opens a notebook and waits until it is connected to the collab server. */
export async function openNotebook(page: Page, id: string): Promise<void> {
  await page.goto(`/notebooks/${id}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('cell').first()).toBeVisible();
}

/** The CodeMirror content element of the n-th cell. */
export function cellEditor(page: Page, index: number) {
  return page.getByTestId('cell').nth(index).locator('.cm-content');
}

/** A code cell of an .ipynb built by a test. */
export interface TestCell { id: string; cell_type: 'code' | 'markdown'; source: string; outputs?: unknown[]; execution_count?: number | null }

/** Imports an .ipynb with these cells from the list page (the page's person owns it) and returns its id. */
export async function importNotebook(page: Page, title: string, cells: TestCell[]): Promise<string> {
  const nb = {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map((c) => (c.cell_type === 'code'
      ? { id: c.id, cell_type: 'code', metadata: {}, source: c.source, outputs: c.outputs ?? [], execution_count: c.execution_count ?? null }
      : { id: c.id, cell_type: 'markdown', metadata: {}, source: c.source })),
  };
  const name = `${title}.ipynb`;
  await page.goto('/');
  await page.getByTestId('import-file-input').setInputFiles({ name, mimeType: 'application/x-ipynb+json', buffer: Buffer.from(JSON.stringify(nb)) });
  const result = page.locator(`[data-testid="import-result"][data-file-name="${name}"]`);
  await expect(result).toHaveAttribute('data-status', 'ok');
  const id = await result.getByTestId('import-result-link').getAttribute('data-notebook-id');
  if (!id) throw new Error('the import gave no notebook id');
  return id;
}

/** Clicks "Follow" beside `name` in the people popover of the header (opening it first). */
export async function followFromPresence(page: Page, name: string): Promise<void> {
  const popover = page.getByTestId('presence-popover');
  if (!(await popover.isVisible())) await page.getByTestId('presence-toggle').click();
  await popover.locator(`[data-testid="presence-user"][data-user-name="${name}"]`).getByTestId('follow-person').click();
  await page.keyboard.press('Escape');
}

/** Ada and Bob signed in, on a notebook Ada has just created (`title` and the time; Bob edits it), both with it open. */
export async function twoPeopleOnANewNotebook(browser: Browser, title: string) {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await createNotebookFromList(ada.page, `${title} ${Date.now()}`);
  await openNotebook(ada.page, id);
  await openNotebook(bob.page, id);
  return { ada, bob, id };
}

/**
 * Puts code into the n-th cell's editor (which must exist) and runs it with
 * Shift+Enter. The code is inserted in one piece, as a paste would be, so the
 * editor's bracket closing and auto-indent leave it exactly as written.
 */
export async function typeAndRun(page: Page, index: number, code: string): Promise<void> {
  await cellEditor(page, index).click();
  await page.keyboard.insertText(code);
  await expect(cellEditor(page, index)).toHaveText(code.replaceAll('\n', ''));
  await page.keyboard.press('Shift+Enter');
}

/**
 * A browser with no account that opens a share or workshop `link`, is offered
 * `role` there, and joins under `name`; returns its context and its page, on the
 * notebook and connected.
 */
export async function guestJoins(browser: Browser, link: string, name: string, role = 'viewer'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error: ${err.message}`));
  await page.goto(link);
  await expect(page.getByTestId('join-role')).toHaveText(role);
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  return { context, page };
}
