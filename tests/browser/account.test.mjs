// The settings page, device passwords and subscription links.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startServer } from './lib/server.mjs';
import { byTestId, launch, newPage, signInWithPassword } from './lib/browser.mjs';

describe('settings and devices', () => {
  let server;
  let browser;
  let password;

  before(async () => {
    server = await startServer();
    await server.addUser('bob', { timeZone: 'UTC' });
    password = await server.addDevice('bob', 'laptop');
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('settings change the time zone and preferences', async () => {
    const page = await newPage(browser);
    await signInWithPassword(page, server.base, 'bob', password);
    await byTestId(page, 'nav-settings').click();
    await page.waitForURL('**/settings');
    const zone = byTestId(page, 'settings-time-zone');
    assert.equal(await zone.inputValue(), 'UTC');
    const options = await page.locator('#time-zones option').count();
    assert.ok(options > 300, `the zone list comes from Intl (${options} names)`);

    await zone.fill('America/New_York');
    await byTestId(page, 'settings-reminder').fill('30');
    await byTestId(page, 'settings-digest-time').fill('07:30');
    await byTestId(page, 'settings-digest-empty').check();
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
    await byTestId(page, 'settings-save').click();
    const response = await saved;
    assert.equal(response.status(), 200, await response.text());
    await byTestId(page, 'message').filter({ hasText: 'Settings saved' }).waitFor();

    // Through the page's session, and as a script with Basic sees it.
    const token = await page.evaluate(() => sessionStorage.getItem('televent.token'));
    const viaSession = await (await fetch(`${server.base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).json();
    assert.equal(viaSession.time_zone, 'America/New_York');
    const me = (await server.basic('GET', '/api/v1/me', { user: 'bob', password })).json;
    assert.equal(me.time_zone, 'America/New_York', 'Basic auth sees the new zone too (not a cached user)');
    assert.deepEqual(me.preferences, {
      reminder_minutes_before: 30,
      daily_digest_time: '07:30',
      notifications_enabled: true,
      digest_when_empty: true,
    });

    // A zone the server does not know: its problem detail is shown.
    await zone.fill('Mars/Olympus_Mons');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
    await byTestId(page, 'settings-save').click();
    const problem = await refused;
    assert.equal(problem.status(), 400);
    const detail = (await problem.json()).detail;
    await byTestId(page, 'message').filter({ hasText: detail }).waitFor();
    await page.context().close();
  });

  test('a device password is added, shown once with the CalDAV URL, works, and is revoked', async () => {
    const page = await newPage(browser);
    await signInWithPassword(page, server.base, 'bob', password);
    await byTestId(page, 'nav-devices').click();
    await page.waitForURL('**/devices');
    await byTestId(page, 'device-row').filter({ hasText: 'laptop' }).waitFor();

    await byTestId(page, 'device-label').fill('Thunderbird');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/devices') && r.request().method() === 'POST');
    await byTestId(page, 'device-add').click();
    assert.equal((await created).status(), 201);
    const shown = (await byTestId(page, 'device-password').innerText()).trim();
    assert.ok(shown.length >= 12, `a password is shown: ${shown}`);
    assert.equal((await byTestId(page, 'device-user').innerText()).trim(), 'bob');
    assert.equal((await byTestId(page, 'device-caldav-url').innerText()).trim(), `${server.base}/dav/`);
    assert.match(await byTestId(page, 'setup-steps').innerText(), /Thunderbird[\s\S]*DAVx/);
    await byTestId(page, 'device-row').filter({ hasText: 'Thunderbird' }).waitFor();

    // The shown password signs in to CalDAV.
    const propfind = await server.basic('PROPFIND', '/dav/', { user: 'bob', password: shown, headers: { Depth: '0' } });
    assert.equal(propfind.status, 207, propfind.text);

    const row = byTestId(page, 'device-row').filter({ hasText: 'Thunderbird' });
    await row.locator('[data-testid="device-revoke"]').click();
    await byTestId(page, 'confirm-dialog').waitFor();
    const revoked = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/api/v1/devices/'));
    await byTestId(page, 'confirm-yes').click();
    assert.equal((await revoked).status(), 204);
    await byTestId(page, 'device-row').filter({ hasText: 'Thunderbird' }).filter({ hasText: 'revoked' }).waitFor();
    const after = await server.basic('PROPFIND', '/dav/', { user: 'bob', password: shown, headers: { Depth: '0' } });
    assert.equal(after.status, 401, 'a revoked password stops working at once');
    await page.context().close();
  });

  test('a subscription link is made, serves the calendar, is renewed and revoked', async () => {
    const made = await server.basic('POST', '/api/v1/calendars/default/events', { user: 'bob', password, body: { title: 'Subscribed thing', start: '2026-12-01T10:00:00' } });
    assert.equal(made.status, 201, made.text);

    const page = await newPage(browser);
    await signInWithPassword(page, server.base, 'bob', password);
    await page.goto(`${server.base}/devices`);
    const block = byTestId(page, 'subscription-default');
    await block.locator('[data-testid="subscription-new"]').waitFor();
    assert.equal(await block.locator('[data-testid="subscription-url"]').count(), 0, 'no link at first');

    const renewed = page.waitForResponse((r) => r.url().endsWith('/subscription') && r.request().method() === 'PUT');
    await block.locator('[data-testid="subscription-new"]').click();
    assert.equal((await renewed).status(), 201);
    const first = (await block.locator('[data-testid="subscription-url"]').innerText()).trim();
    assert.match(first, new RegExp(`^${server.base.replaceAll('.', '\\.')}/ics/[^/]+\\.ics$`));
    const feed = await fetch(first);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /SUMMARY:Subscribed thing/);

    // A new link: the old one stops working.
    await block.locator('[data-testid="subscription-new"]').click();
    await byTestId(page, 'confirm-yes').click();
    await page.waitForFunction(
      (old) => {
        const url = document.querySelector('[data-testid="subscription-default"] [data-testid="subscription-url"]');
        return url && url.textContent.trim() !== old;
      },
      first,
    );
    const second = (await block.locator('[data-testid="subscription-url"]').innerText()).trim();
    assert.equal((await fetch(first)).status, 404);
    assert.equal((await fetch(second)).status, 200);

    await block.locator('[data-testid="subscription-revoke"]').click();
    const deleted = page.waitForResponse((r) => r.url().endsWith('/subscription') && r.request().method() === 'DELETE');
    await byTestId(page, 'confirm-yes').click();
    assert.equal((await deleted).status(), 204);
    await block.locator('[data-testid="subscription-url"]').waitFor({ state: 'detached' });
    assert.equal((await fetch(second)).status, 404);
    await page.context().close();
  });
});
