// `npm start` supervises its services: when the collab server dies (killed as
// a crash would, SIGKILL), it is started again, the web app keeps answering
// meanwhile, and an open notebook page reconnects by itself and keeps editing.
import { test, expect } from '@playwright/test';
import { baseUrl, cellEditor, collabPort, createNotebookFromList, openNotebook, personIn } from './helpers';
import { expectSource, storedNotebook, storedSource } from './notebook-page';
import { pidListeningOn } from './processes';

const collabHealth = `http://localhost:${collabPort}/healthz`;

async function collabAnswers(): Promise<boolean> {
  try {
    return (await fetch(collabHealth)).ok;
  } catch {
    return false;
  }
}

test('a killed collab server is restarted; the web app keeps serving and open pages reconnect and keep editing', async ({ browser }) => {
  const { context, page } = await personIn(browser, 'Sam');
  const id = await createNotebookFromList(page, `Supervised ${Date.now()}`);
  await openNotebook(page, id);
  await cellEditor(page, 0).click();
  await page.keyboard.type('before');
  await expect.poll(() => storedNotebook(id).cells.map(storedSource)).toEqual(['before']);

  const pid = pidListeningOn(collabPort);
  expect(pid, `a process listens on the collab port ${collabPort}`).toBeDefined();
  process.kill(pid!, 'SIGKILL');
  await expect.poll(collabAnswers, { message: 'the collab server is down' }).toBe(false);

  // The web app answers while the collab server is down.
  const list = await fetch(`${baseUrl()}/sign-in`);
  expect(list.status).toBe(200);

  // The supervisor starts it again: a new process answers /healthz.
  await expect.poll(collabAnswers, { timeout: 30_000, message: 'the collab server answers again' }).toBe(true);
  expect(pidListeningOn(collabPort)).not.toBe(pid);

  // The open page reconnects by itself, and its edits are stored again.
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await cellEditor(page, 0).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' after');
  await expectSource(page, 0, 'before after');
  await expect.poll(() => storedNotebook(id).cells.map(storedSource), { timeout: 30_000 }).toEqual(['before after']);
  await context.close();
});
