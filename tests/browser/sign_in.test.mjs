// Signing in to the web page: device password, one-time link, Telegram Mini App initData.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BOT_TOKEN, startServer } from './lib/server.mjs';
import { byTestId, launch, newPage, signedInitData, signInWithPassword } from './lib/browser.mjs';

const TELEGRAM_ID = 424242;
const THEME = {
  bg_color: '#17212b',
  text_color: '#f5f5f5',
  hint_color: '#708499',
  link_color: '#6ab3f3',
  button_color: '#5288c1',
  button_text_color: '#ffffff',
  secondary_bg_color: '#232e3c',
};

describe('sign-in', () => {
  let server;
  let browser;
  let password;

  before(async () => {
    server = await startServer();
    await server.addUser('alice');
    password = await server.addDevice('alice', 'web');
    await server.addUser('tess', { telegramId: TELEGRAM_ID });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a signed-out visitor is sent to /login, which names both ways in', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.base}/week`);
    await page.waitForURL('**/login');
    await assert.doesNotReject(byTestId(page, 'login-form').waitFor());
    assert.match(await byTestId(page, 'login-bot-hint').innerText(), /Open the Televent bot and send \/web/);
    assert.deepEqual(page.problems.filter((p) => !p.includes('401')), []);
    await page.context().close();
  });

  test('user name and device password sign in, the week view shows, sign-out ends the session', async () => {
    const page = await newPage(browser);

    // A wrong password: the problem's detail is shown, the page stays.
    await page.goto(`${server.base}/login`);
    await byTestId(page, 'login-user').fill('alice');
    await byTestId(page, 'login-password').fill('not-the-password');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions'));
    await byTestId(page, 'login-submit').click();
    assert.equal((await refused).status(), 401);
    const message = byTestId(page, 'message');
    await message.waitFor();
    assert.notEqual((await message.innerText()).trim(), '');
    assert.ok(page.url().endsWith('/login'));

    await signInWithPassword(page, server.base, 'alice', password);
    assert.ok(page.url().endsWith('/week'), page.url());
    assert.equal(await page.locator('[data-testid^="day-head-"]').count(), 7);
    const token = await page.evaluate(() => sessionStorage.getItem('televent.token'));
    assert.ok(token, 'the session token is kept for Bearer use');

    // The session works for the API as a Bearer token too.
    const me = await fetch(`${server.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).name, 'alice');

    const signedOut = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions/current') && r.request().method() === 'DELETE');
    await byTestId(page, 'sign-out').click();
    assert.ok([200, 204].includes((await signedOut).status()));
    await page.waitForURL('**/login');
    const after = await fetch(`${server.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(after.status, 401, 'the session ended on the server');

    // Back to /week without a session: the 401 leads to /login again.
    await page.goto(`${server.base}/week`);
    await page.waitForURL('**/login');
    await page.context().close();
  });

  test('a one-time link from `televent user login-link` signs in once', async () => {
    let output;
    try {
      output = await server.cli('user', 'login-link', 'alice', '--public-url', server.base);
    } catch (error) {
      assert.fail(`\`televent user login-link alice\` is not available: ${error.message}`);
    }
    const link = output.trim().split('\n').pop().trim();
    assert.match(link, new RegExp(`^${server.base.replaceAll('.', '\\.')}/login#token=\\S+$`), output);

    const page = await newPage(browser);
    const signIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions') && r.request().method() === 'POST');
    await page.goto(link);
    const response = await signIn;
    assert.equal(response.status(), 201, await response.text());
    assert.equal(JSON.parse(response.request().postData()).method, 'link');
    await page.waitForURL('**/week');
    await byTestId(page, 'week-grid').waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
    await page.context().close();

    // The same link a second time: refused, with a message, on the login page.
    const again = await newPage(browser);
    const refused = again.waitForResponse((r) => r.url().endsWith('/api/v1/sessions'));
    await again.goto(link);
    assert.ok([400, 401, 403, 410].includes((await refused).status()));
    await byTestId(again, 'message').waitFor();
    assert.match(await byTestId(again, 'message').innerText(), /did not work/);
    await byTestId(again, 'login-form').waitFor();
    await again.context().close();
  });

  test('a Telegram Mini App opens signed in with the theme applied', async () => {
    const initData = signedInitData(BOT_TOKEN, {
      auth_date: String(Math.floor(Date.now() / 1000)),
      query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
      user: { id: TELEGRAM_ID, first_name: 'Tess', last_name: '', username: 'tess', language_code: 'en', allows_write_to_pm: true },
    });
    const url =
      `${server.base}/#tgWebAppData=${encodeURIComponent(initData)}` +
      `&tgWebAppVersion=7.0&tgWebAppPlatform=tdesktop&tgWebAppThemeParams=${encodeURIComponent(JSON.stringify(THEME))}`;

    const page = await newPage(browser);
    const signIn = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions') && r.request().method() === 'POST');
    const meRequest = page.waitForRequest((r) => r.url().endsWith('/api/v1/me'));
    await page.goto(url);
    const response = await signIn;
    const sent = JSON.parse(response.request().postData());
    assert.deepEqual(sent, { method: 'telegram', init_data: initData });
    assert.equal(response.status(), 201, await response.text());
    assert.equal((await response.json()).user, 'tess');
    await byTestId(page, 'week-grid').waitFor();
    assert.ok(page.url().endsWith('/week'), page.url());

    const meHeaders = await (await meRequest).allHeaders();
    assert.match(meHeaders.authorization || '', /^Bearer ./, 'API calls carry the Bearer token');

    // The token the page keeps works alone, without the cookie (a web view may drop cookies).
    const authorization = await page.evaluate(async () => {
      const token = sessionStorage.getItem('televent.token');
      const response = await fetch('/api/v1/me', { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' });
      return { status: response.status, name: (await response.json()).name };
    });
    assert.deepEqual(authorization, { status: 200, name: 'tess' });

    const colours = await page.evaluate(() => ({
      bg: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
      accent: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
      body: getComputedStyle(document.body).backgroundColor,
    }));
    assert.equal(colours.bg, THEME.bg_color);
    assert.equal(colours.accent, THEME.button_color);
    assert.equal(colours.body, 'rgb(23, 33, 43)');
    await page.context().close();
  });

  test('Mini App initData with a wrong signature is refused and the page says so', async () => {
    const initData = signedInitData('999:not-the-bot-token', {
      auth_date: String(Math.floor(Date.now() / 1000)),
      query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
      user: { id: TELEGRAM_ID, first_name: 'Tess' },
    });
    const page = await newPage(browser);
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/sessions'));
    await page.goto(`${server.base}/#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=7.0&tgWebAppPlatform=tdesktop`);
    assert.ok([401, 403].includes((await refused).status()));
    await byTestId(page, 'login-form').waitFor();
    assert.match(await byTestId(page, 'message').innerText(), /Telegram sign-in failed/);
    await page.context().close();
  });
});
