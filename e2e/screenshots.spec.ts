// The editor as people see it, with 2 and with 50 people, in light and in dark
// mode: each picture is checked (the page's colours follow the mode, outputs stay
// readable, the header keeps one line with fifty people) and then saved under
// docs/screenshots/, where the README shows them. Running this file again remakes them.
import { test, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { personIn, openNotebook, shareWith, importNotebook, cellEditor, type TestCell } from './helpers';
import { cellAt } from './notebook-page';
import { joinAsClient, type CrowdMember } from './crowd';

const KERNEL_TIMEOUT = 90_000;
const shots = join(import.meta.dirname, '..', 'docs', 'screenshots');
const viewport = { width: 1400, height: 900 };

const cells: TestCell[] = [
  { id: 'c0', cell_type: 'markdown', source: '# Revenue by region\nQuarterly figures, cleaned in the cells below. *Edit freely*: everyone sees it live.' },
  { id: 'c1', cell_type: 'code', source: "import pandas as pd\nsales = pd.DataFrame({'region': ['North', 'South', 'East', 'West'], 'q1': [120, 95, 143, 88], 'q2': [131, 101, 150, 97]})\nsales['growth %'] = ((sales.q2 / sales.q1 - 1) * 100).round(1)\nsales" },
  { id: 'c2', cell_type: 'code', source: "import matplotlib.pyplot as plt\nax = sales.set_index('region')[['q1', 'q2']].plot.bar(figsize=(6, 2.6), rot=0)\nax.set_ylabel('revenue (k€)')\nplt.tight_layout()" },
  { id: 'c3', cell_type: 'code', source: "best = sales.loc[sales['growth %'].idxmax()]\nprint(f\"fastest growth: {best.region} ({best['growth %']} %)\")" },
];

/** The body's background luminance, 0 (black) to 1 (white). */
const luminance = (page: Page, selector = 'body') => page.locator(selector).first().evaluate((el) => {
  const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\d+/g)!.map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
});
/** The text colour's luminance of a DataFrame's first data cell (HTML outputs are drawn in a sandboxed frame). */
const tableTextLuminance = (page: Page) => cellAt(page, 1).frameLocator('iframe').locator('td').first().evaluate((el) => {
  const [r, g, b] = getComputedStyle(el).color.match(/\d+/g)!.map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
});

/** Checks the page in both modes and saves `editor-<people>-people-<mode>.png`. */
async function shootBothModes(page: Page, people: number) {
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await luminance(page)).toBeGreaterThan(0.8);
  expect(await tableTextLuminance(page)).toBeLessThan(0.4);
  await page.screenshot({ path: join(shots, `editor-${people}-people-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await luminance(page)).toBeLessThan(0.2);
  await expect.poll(() => tableTextLuminance(page)).toBeGreaterThan(0.6);
  // ... on the page's own dark ground, not a light box.
  expect(await cellAt(page, 1).locator('iframe').evaluate((frame) => getComputedStyle(frame).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
  await page.screenshot({ path: join(shots, `editor-${people}-people-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the editor with 2 and with 50 people, light and dark', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const bob = await personIn(browser, 'Bob');
  const id = await importNotebook(ada.page, `Revenue by region ${Date.now()}`, cells);
  await shareWith(ada.page, id, bob.email, 'editor');
  for (const p of [ada, bob]) {
    await p.page.setViewportSize(viewport);
    await openNotebook(p.page, id);
  }
  // Ada runs the three code cells; Bob works in the last one meanwhile.
  await cellEditor(ada.page, 1).click();
  for (let i = 0; i < 3; i++) await ada.page.keyboard.press('Shift+Enter');
  await expect(cellAt(ada.page, 2).locator('[data-testid="output"] img')).toBeVisible({ timeout: KERNEL_TIMEOUT });
  await expect(cellAt(ada.page, 3).getByTestId('output')).toContainText('fastest growth: West', { timeout: KERNEL_TIMEOUT });
  await expect(cellAt(ada.page, 1).frameLocator('iframe').locator('table')).toBeVisible();
  await cellEditor(bob.page, 3).click();
  await bob.page.keyboard.press('End');
  await expect(ada.page.getByTestId('presence-user')).toHaveCount(2);
  await ada.page.evaluate(() => window.scrollTo(0, 0));
  const twoHeader = (await ada.page.locator('.notebook-header').boundingBox())!.height;
  await shootBothModes(ada.page, 2);
  // The switch overrides the system's choice, inside the outputs' frames too.
  await ada.page.getByTestId('theme-switch').selectOption('dark');
  await expect.poll(() => tableTextLuminance(ada.page)).toBeGreaterThan(0.6);
  await ada.page.getByTestId('theme-switch').selectOption('system');
  await expect.poll(() => tableTextLuminance(ada.page)).toBeLessThan(0.4);

  // Forty-eight more join (a presenter's workshop): the header keeps its height.
  const crowd: CrowdMember[] = [];
  try {
    for (let i = 1; i <= 48; i++) crowd.push(await joinAsClient(id, `Attendee ${i}`, 'viewer', i, cells[i % 4].id));
    await expect(ada.page.getByTestId('presence-count')).toHaveAttribute('data-count', '50', { timeout: 60_000 });
    expect((await ada.page.locator('.notebook-header').boundingBox())!.height).toBeCloseTo(twoHeader, 0);
    await shootBothModes(ada.page, 50);
  } finally {
    for (const c of crowd) c.destroy();
  }
});
