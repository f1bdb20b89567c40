// How long a large notebook takes to open in Chromium, and how long the page's
// main thread is blocked meanwhile (the longest task and the sum of tasks over
// 50 ms, from the browser's Long Tasks API). Runs against a product that is
// already running (`npm start`), signs up a throwaway account there, imports the
// notebooks through the page and opens each a few times.
//
//   CELLMATE_URL=http://localhost:3000 node --import tsx bench/notebook-open.ts
import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notebooksDir } from '../notebook-model/nbformat/test-corpus';

const base = (process.env.CELLMATE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const RUNS = Number(process.env.RUNS ?? 3);

function generatedNotebook(cells: number): string {
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: Array.from({ length: cells }, (_, i) => (i % 3 === 0
      ? { id: `m${i}`, cell_type: 'markdown', metadata: {}, source: `## Section ${i}\n\nSome text with $x^{${i}}$.` }
      : { id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: i, source: `for k in range(${i}):\n    print(k)\nvalue_${i} = ${i} * 2`,
        outputs: [{ output_type: 'stream', name: 'stdout', text: '0\n1\n2\n' }, { output_type: 'execute_result', execution_count: i, metadata: {}, data: { 'text/plain': String(i * 2) } }] })),
  });
}

function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

async function signUp(page: Page): Promise<void> {
  await page.goto(`${base}/sign-up`);
  await page.getByTestId('account-name').fill('Bench');
  await page.getByTestId('account-email').fill(`bench-${Date.now()}@example.test`);
  await page.getByTestId('account-password').fill('bench password');
  await page.getByTestId('account-submit').click();
  await page.getByTestId('signed-in-as').waitFor();
}

async function importFile(page: Page, name: string, text: string): Promise<string> {
  await page.goto(`${base}/`);
  await page.getByTestId('import-file-input').setInputFiles({ name, mimeType: 'application/x-ipynb+json', buffer: Buffer.from(text) });
  const link = page.locator(`[data-testid="import-result"][data-file-name="${name}"] [data-testid="import-result-link"]`);
  await link.waitFor({ timeout: 120_000 });
  return (await link.getAttribute('data-notebook-id'))!;
}

interface OpenFigures { readyMs: number; longestTaskMs: number; blockedMs: number; editors: number }

async function open(page: Page, id: string, cells: number): Promise<OpenFigures> {
  await page.goto('about:blank');
  const start = Date.now();
  await page.goto(`${base}/notebooks/${id}`);
  await page.evaluate(() => {
    const w = window as unknown as { __tasks: number[] };
    w.__tasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__tasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: 120_000 });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="cell"]').length === n, cells, { timeout: 120_000 });
  // Ready: the page answers a key press (J selects the second cell).
  await page.keyboard.press('j');
  await page.locator('[data-testid="cell"]').nth(1).and(page.locator('[data-mode="command"]')).waitFor();
  const readyMs = Date.now() - start;
  const tasks = await page.evaluate(() => (window as unknown as { __tasks: number[] }).__tasks);
  const editors = await page.locator('.cm-editor').count();
  return { readyMs, longestTaskMs: Math.max(0, ...tasks), blockedMs: tasks.reduce((a, b) => a + Math.max(0, b - 50), 0), editors };
}

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await (await browser.newContext()).newPage();
  await signUp(page);
  const notebooks = [
    { name: 'generated-2000-cells.ipynb', text: generatedNotebook(2000), cells: 2000 },
    { name: 'pdsh-05.11-K-Means.ipynb', text: readFileSync(join(notebooksDir, 'corpus', 'pdsh-05.11-K-Means.ipynb'), 'utf8'), cells: 61 },
  ];
  console.log(`opening notebooks in Chromium, best of ${RUNS} (ready = connected, all cells in the page, first key handled)`);
  console.log('notebook                          ready ms  longest task ms  blocked ms (>50ms)  editors');
  for (const nb of notebooks) {
    const id = await importFile(page, nb.name, nb.text);
    const runs: OpenFigures[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await open(page, id, nb.cells));
    const best = runs.reduce((a, b) => (b.readyMs < a.readyMs ? b : a));
    console.log(`${nb.name.padEnd(32)} ${String(best.readyMs).padStart(8)}  ${best.longestTaskMs.toFixed(0).padStart(15)}  ${best.blockedMs.toFixed(0).padStart(18)}  ${String(best.editors).padStart(7)}`);
  }
} finally {
  await browser.close();
}
