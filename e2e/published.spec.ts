// A published page (/p/<slug>) shows every output completely, with JavaScript
// and without it: a pandas DataFrame's last row is on the page, not cut off by
// a frame that only a script could have sized.
import { test, expect, type Browser } from '@playwright/test';
import { personIn, importNotebook } from './helpers';

/** pandas' own HTML for a 30-row DataFrame (DataFrame._repr_html_), its last row named "Last city". */
function dataFrameHtml(): string {
  const rows = Array.from({ length: 30 }, (_, i) => `    <tr>\n      <th>${i}</th>\n      <td>${i === 29 ? 'Last city' : `City ${i}`}</td>\n      <td>${i * 10}</td>\n    </tr>`).join('\n');
  return `<div>
<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }
    .dataframe tbody tr th {
        vertical-align: top;
    }
    .dataframe thead th {
        text-align: right;
    }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>city</th>
      <th>value</th>
    </tr>
  </thead>
  <tbody>
${rows}
  </tbody>
</table>
<p>30 rows × 2 columns</p>
<script>document.title = 'kernel script ran';</script>
</div>`;
}

async function publishDataFrame(browser: Browser): Promise<string> {
  const ada = await personIn(browser, 'Ada');
  const id = await importNotebook(ada.page, `Cities ${Date.now()}`, [
    { id: 'md', cell_type: 'markdown', source: '# Cities\nThe table below has $30$ rows.' },
    {
      id: 'df', cell_type: 'code', source: 'df', execution_count: 1,
      outputs: [{ output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/html': dataFrameHtml(), 'text/plain': '      city  value\n...' } }],
    },
  ]);
  await ada.page.goto(`/notebooks/${id}/versions`);
  await ada.page.getByTestId('version-name').fill('Cities table');
  await ada.page.getByTestId('quick-save').click();
  const row = ada.page.getByTestId('version-row').filter({ hasText: 'Cities table' });
  await row.getByTestId('publish').click();
  const link = row.getByTestId('published-link');
  await expect(link).toBeVisible();
  const path = await link.getAttribute('href');
  await ada.context.close();
  return path!;
}

for (const javaScriptEnabled of [false, true]) {
  test(`a published DataFrame shows its last row ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
    const path = await publishDataFrame(browser);
    const reader = await browser.newContext({ javaScriptEnabled, viewport: { width: 1400, height: 900 } });
    const page = await reader.newPage();
    await page.goto(path);
    const last = page.getByRole('cell', { name: 'Last city' });
    await last.scrollIntoViewIfNeeded();
    await expect(last).toBeVisible();
    await expect(last).toBeInViewport({ ratio: 1 });
    // The table is drawn whole: its last row is below its header row by 30 rows' height at least.
    const header = await page.getByRole('columnheader', { name: 'city' }).boundingBox();
    const bottom = await last.boundingBox();
    expect(bottom!.y - header!.y).toBeGreaterThan(29 * 15);
    // Nothing of the table is clipped by its container.
    const clipped = await last.evaluate((cell) => {
      const r = cell.getBoundingClientRect();
      for (let el = cell.parentElement; el; el = el.parentElement) {
        const s = getComputedStyle(el);
        if (s.overflowY !== 'visible' && el.getBoundingClientRect().bottom < r.bottom - 1) return el.className || el.tagName;
      }
      return null;
    });
    expect(clipped).toBeNull();
    // The kernel's script did not run in the page, and its stylesheet did not leak out.
    expect(await page.title()).not.toBe('kernel script ran');
    await expect(page.getByText('The table below has')).toBeVisible();
    await reader.close();
  });
}
