// Two things a Jupyter user reaches for without thinking: Ctrl+S (Cmd+S) saves
// a named version instead of opening the browser's "save page" dialog, and the
// page follows the system's dark mode, with a switch to choose.
import { test, expect } from '@playwright/test';
import { personIn, openNotebook, createNotebookFromList, cellEditor } from './helpers';

test('Ctrl+S saves a named version, in edit mode too, and never reaches the browser', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const id = await createNotebookFromList(ada.page, `Quick save ${Date.now()}`);
  await openNotebook(ada.page, id);
  await cellEditor(ada.page, 0).click();
  await ada.page.keyboard.insertText('saved = 1');
  // The listener is in place before the keys are pressed, and reads the S key's event
  // (the Control key's own keydown comes first and is nobody's to prevent).
  await ada.page.evaluate(() => {
    window.addEventListener('keydown', (e) => {
      if (e.key.toLowerCase() === 's') (window as unknown as { ctrlSPrevented?: boolean }).ctrlSPrevented = e.defaultPrevented;
    });
  });
  await ada.page.keyboard.press('ControlOrMeta+s');
  await expect.poll(() => ada.page.evaluate(() => (window as unknown as { ctrlSPrevented?: boolean }).ctrlSPrevented)).toBe(true);
  await expect(ada.page.getByTestId('save-status')).toContainText(/Saved version/);
  const name = (await ada.page.getByTestId('save-status').getAttribute('data-version-name'))!;
  await ada.page.goto(`/notebooks/${id}/versions`);
  await expect(ada.page.getByTestId('version-row').filter({ hasText: name })).toHaveCount(1);
});

test('the page follows prefers-color-scheme, and the switch overrides it', async ({ browser }) => {
  const ada = await personIn(browser, 'Ada');
  const id = await createNotebookFromList(ada.page, `Dark ${Date.now()}`);
  const luminance = () => ada.page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await openNotebook(ada.page, id);
  expect(await luminance()).toBeLessThan(0.2);
  await ada.page.emulateMedia({ colorScheme: 'light' });
  expect(await luminance()).toBeGreaterThan(0.8);
  await ada.page.getByTestId('theme-switch').selectOption('dark');
  expect(await luminance()).toBeLessThan(0.2);
  await ada.page.reload();
  await expect(ada.page.getByTestId('theme-switch')).toHaveValue('dark');
  expect(await luminance()).toBeLessThan(0.2);
});
