import { usePages } from './support/browser.js';
import { requireBuiltWebApp, webUrl } from './support/web-app.js';

// The header's navigation and the sign-in forms, found by their names as a person finds them.
describe('navigation and the account forms', () => {
  const pages = usePages();

  beforeAll(() => requireBuiltWebApp());

  it('the Main navigation leads to Pick up and Sign in', async () => {
    const tab = await pages.newPage();
    await tab.goto(webUrl('/'));
    const nav = tab.getByRole('navigation', { name: 'Main' });
    await nav.waitFor({ state: 'visible' });
    await nav.getByRole('link', { name: 'Send', exact: true }).waitFor({ state: 'visible' });

    await nav.getByRole('link', { name: 'Pick up', exact: true }).click();
    await tab.getByRole('textbox', { name: 'Pickup code' }).waitFor({ state: 'visible' });
    expect(new URL(tab.url()).pathname).toBe('/pickup');

    await nav.getByRole('link', { name: 'Sign in', exact: true }).click();
    await tab.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ state: 'visible' });
    expect(new URL(tab.url()).pathname).toBe('/login');
  });

  it.each([
    { path: '/login', button: 'Sign in' },
    { path: '/register', button: 'Create account' },
  ])('$path asks for Email and Password, and has a "$button" button', async ({ path, button }) => {
    const tab = await pages.newPage();
    await tab.goto(webUrl(path));
    await tab.getByRole('textbox', { name: 'Email', exact: true }).waitFor({ state: 'visible' });
    // A password field has no textbox role; its label still names it.
    await tab.getByLabel('Password', { exact: true }).waitFor({ state: 'visible' });
    await tab.getByRole('button', { name: button, exact: true }).waitFor({ state: 'visible' });
  });
});
