// Password guessing through the real sign-in page: after ten wrong passwords
// for one account, even the right one is refused for a while, with a message
// that says so; the account's own open session is untouched.
import { test, expect } from '@playwright/test';
import { personIn } from './helpers';

test('ten wrong passwords lock the account\'s sign-in for a while, with a message that says so', async ({ browser }) => {
  const owner = await personIn(browser, 'Grete');
  const guesser = await browser.newContext();
  const page = await guesser.newPage();
  await page.goto('/sign-in');

  const attempt = async (password: string) => {
    await page.getByTestId('account-email').fill(owner.email);
    await page.getByTestId('account-password').fill(password);
    // A server action answers the form's POST; wait for that answer, not for time.
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/sign-in'),
      page.getByTestId('account-submit').click(),
    ]);
  };

  for (let i = 1; i <= 10; i++) {
    await attempt(`wrong guess ${i}`);
    await expect(page.getByTestId('sign-in-form').getByRole('alert')).toHaveText(/Invalid email or password/i);
  }
  await attempt('e2e password'); // the right one, too late
  await expect(page.getByTestId('sign-in-form').getByRole('alert')).toHaveText('Too many failed sign-ins for this account. Try again in 15 minutes.');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);

  // The owner, already signed in elsewhere, keeps working.
  await owner.page.goto('/');
  await expect(owner.page.getByTestId('signed-in-as')).toContainText(owner.email);
  await guesser.close();
  await owner.context.close();
});
