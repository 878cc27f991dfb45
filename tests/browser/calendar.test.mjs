// The week and month views: an event made by clicking, seen over CalDAV, edited, deleted;
// a stale edit; the phone layout; the month grid.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startServer } from './lib/server.mjs';
import { PHONE, addDays, byTestId, launch, mondayOf, newPage, screenshot, signInWithPassword, todayIn } from './lib/browser.mjs';

const ZONE = 'Europe/Berlin';
const USER = 'alice';

describe('calendar views', () => {
  let server;
  let browser;
  let password;
  const api = (method, path, body) => server.basic(method, `/api/v1${path}`, { user: USER, password, body });

  /** The events of the default calendar, as a script sees them. */
  async function events() {
    const response = await api('GET', '/calendars/default/events');
    assert.equal(response.status, 200, response.text);
    return response.json.items;
  }

  async function caldav(id) {
    return server.basic('GET', `/dav/calendars/${USER}/default/${encodeURIComponent(id)}`, { user: USER, password });
  }

  before(async () => {
    server = await startServer();
    await server.addUser(USER, { timeZone: ZONE });
    password = await server.addDevice(USER, 'browser-test');
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const weekChip = (page, text) => page.locator('[data-testid="week-grid"] [data-testid="event-chip"]', { hasText: text });

  test('an event added by clicking a slot shows in the week, over CalDAV, and can be edited and deleted', async () => {
    const page = await newPage(browser);
    await signInWithPassword(page, server.base, USER, password);
    const today = todayIn(ZONE);
    assert.equal(await byTestId(page, `day-head-${today}`).getAttribute('aria-current'), 'date', "today's column is marked");

    // Add.
    await byTestId(page, `slot-${today}T10:00`).click();
    const dialog = byTestId(page, 'event-dialog');
    await dialog.waitFor();
    assert.equal(await byTestId(page, 'start-input').inputValue(), `${today}T10:00`);
    assert.equal(await byTestId(page, 'end-input').inputValue(), `${today}T11:00`);
    await byTestId(page, 'title-input').fill('Dentist');
    await byTestId(page, 'location-input').fill('Main St 5');
    await byTestId(page, 'reminders-input').fill('15');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/calendars/default/events') && r.request().method() === 'POST');
    await byTestId(page, 'save-button').click();
    const createdResponse = await created;
    assert.equal(createdResponse.status(), 201, await createdResponse.text());
    assert.deepEqual(JSON.parse(createdResponse.request().postData()), {
      title: 'Dentist',
      all_day: false,
      start: `${today}T10:00:00`,
      end: `${today}T11:00:00`,
      location: 'Main St 5',
      reminders: [15],
    });
    await dialog.waitFor({ state: 'detached' });
    await weekChip(page, 'Dentist').waitFor();
    assert.match(await weekChip(page, 'Dentist').innerText(), /10:00–11:00/);

    // What the server holds, through the API with Basic and through CalDAV.
    const [event] = (await events()).filter((e) => e.title === 'Dentist');
    assert.ok(event, 'the API lists the event');
    assert.equal(event.start, `${today}T10:00:00`);
    assert.equal(event.time_zone, ZONE);
    let ics = await caldav(event.id);
    assert.equal(ics.status, 200, ics.text);
    assert.match(ics.text, /^SUMMARY:Dentist\r?$/m);
    assert.match(ics.text, /^LOCATION:Main St 5\r?$/m);
    assert.match(ics.text, new RegExp(`^DTSTART;TZID=${ZONE}:${today.replaceAll('-', '')}T100000\\r?$`, 'm'));

    // Edit the title.
    const loaded = page.waitForResponse((r) => r.url().includes(`/events/${encodeURIComponent(event.id)}`) && r.request().method() === 'GET');
    await weekChip(page, 'Dentist').click();
    await loaded;
    await dialog.waitFor();
    assert.equal(await byTestId(page, 'title-input').inputValue(), 'Dentist');
    assert.equal(await byTestId(page, 'location-input').inputValue(), 'Main St 5');
    await byTestId(page, 'title-input').fill('Dentist (moved)');
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await byTestId(page, 'save-button').click();
    const patchResponse = await patched;
    assert.equal(patchResponse.status(), 200, await patchResponse.text());
    assert.deepEqual(JSON.parse(patchResponse.request().postData()), { title: 'Dentist (moved)' });
    assert.equal((await patchResponse.request().allHeaders())['if-match'], event.etag);
    await weekChip(page, 'Dentist (moved)').waitFor();
    ics = await caldav(event.id);
    assert.match(ics.text, /^SUMMARY:Dentist \(moved\)\r?$/m);
    assert.match(ics.text, /^LOCATION:Main St 5\r?$/m, 'what the edit did not touch is kept');

    // Delete.
    await weekChip(page, 'Dentist (moved)').click();
    await byTestId(page, 'delete-button').click();
    await byTestId(page, 'confirm-dialog').waitFor();
    const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await byTestId(page, 'confirm-yes').click();
    const deleteResponse = await deleted;
    assert.ok([200, 204].includes(deleteResponse.status()), await deleteResponse.text());
    assert.ok((await deleteResponse.request().allHeaders())['if-match'], 'the delete is conditional');
    await weekChip(page, 'Dentist').waitFor({ state: 'detached' });
    assert.equal((await caldav(event.id)).status, 404);
    assert.deepEqual((await events()).filter((e) => e.uid === event.uid), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a save over a change made elsewhere is refused (412) and the dialog shows the new version', async () => {
    const today = todayIn(ZONE);
    const made = await api('POST', '/calendars/default/events', { title: 'Review', start: `${today}T14:00:00` });
    assert.equal(made.status, 201, made.text);

    const page = await newPage(browser);
    await signInWithPassword(page, server.base, USER, password);
    await weekChip(page, 'Review').click();
    await byTestId(page, 'event-dialog').waitFor();
    assert.equal(await byTestId(page, 'title-input').inputValue(), 'Review');

    // Someone else renames it meanwhile.
    const elsewhere = await api('PATCH', `/calendars/default/events/${encodeURIComponent(made.json.id)}`, { title: 'Review (room 2)' });
    assert.equal(elsewhere.status, 200, elsewhere.text);

    await byTestId(page, 'location-input').fill('Room 1');
    const stale = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await byTestId(page, 'save-button').click();
    assert.equal((await stale).status(), 412);
    await byTestId(page, 'dialog-error').waitFor();
    assert.match(await byTestId(page, 'dialog-error').innerText(), /changed elsewhere/);
    await page.waitForFunction(() => document.querySelector('[data-testid="title-input"]').value === 'Review (room 2)');

    // Again, on the fresh version: it goes through.
    await byTestId(page, 'location-input').fill('Room 1');
    const fresh = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await byTestId(page, 'save-button').click();
    assert.equal((await fresh).status(), 200);
    await weekChip(page, 'Review (room 2)').waitFor();
    const [stored] = (await events()).filter((e) => e.uid === made.json.uid);
    assert.equal(stored.location, 'Room 1');
    assert.equal(stored.title, 'Review (room 2)');
    await page.context().close();
  });

  test('the dialog makes an all-day event that repeats weekly, with a reminder and attendees', async () => {
    const page = await newPage(browser);
    await signInWithPassword(page, server.base, USER, password);
    const today = todayIn(ZONE);
    await byTestId(page, `slot-${today}T20:00`).click();
    await byTestId(page, 'event-dialog').waitFor();
    await byTestId(page, 'title-input').fill('Team offsite');
    await byTestId(page, 'all-day-input').check();
    assert.equal(await byTestId(page, 'start-input').inputValue(), today);
    assert.equal(await byTestId(page, 'end-input').inputValue(), today, 'the form shows the last day, inclusive');
    await byTestId(page, 'end-input').fill(addDays(today, 1));
    await byTestId(page, 'recurrence-select').selectOption('weekly');
    await byTestId(page, 'reminders-input').fill('10, 60');
    await byTestId(page, 'attendees-input').fill('anna@example.com, ben@example.com');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/events'));
    await byTestId(page, 'save-button').click();
    const response = await created;
    assert.equal(response.status(), 201, await response.text());
    assert.deepEqual(JSON.parse(response.request().postData()), {
      title: 'Team offsite',
      all_day: true,
      start: today,
      end: addDays(today, 2),
      recurrence: 'weekly',
      reminders: [10, 60],
      attendees: ['anna@example.com', 'ben@example.com'],
    });
    await byTestId(page, `allday-${today}`).locator('[data-testid="event-chip"]', { hasText: 'Team offsite' }).waitFor();

    const [event] = (await events()).filter((e) => e.title === 'Team offsite');
    assert.equal(event.all_day, true);
    assert.equal(event.start, today);
    assert.equal(event.end, addDays(today, 2), 'the end of an all-day event is exclusive');
    assert.equal(event.recurrence?.preset, 'weekly');
    assert.deepEqual([...event.reminders].sort((a, b) => a - b), [10, 60]);
    assert.deepEqual(event.attendees.map((a) => a.email).sort(), ['anna@example.com', 'ben@example.com']);

    // Next week has it too; reopened, the dialog shows what was saved.
    await byTestId(page, 'next').click();
    const nextWeek = byTestId(page, `allday-${addDays(today, 7)}`).locator('[data-testid="event-chip"]', { hasText: 'Team offsite' });
    await nextWeek.waitFor();
    await nextWeek.click();
    await byTestId(page, 'event-dialog').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="title-input"]')?.value === 'Team offsite');
    assert.equal(await byTestId(page, 'all-day-input').isChecked(), true);
    assert.equal(await byTestId(page, 'start-input').inputValue(), today, 'a series opens at its first day');
    assert.equal(await byTestId(page, 'end-input').inputValue(), addDays(today, 1));
    assert.equal(await byTestId(page, 'recurrence-select').inputValue(), 'weekly');
    assert.equal(await byTestId(page, 'attendees-input').inputValue(), 'anna@example.com, ben@example.com');

    // Repeat no more: only the first one stays.
    await byTestId(page, 'recurrence-select').selectOption('none');
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await byTestId(page, 'save-button').click();
    const patch = await patched;
    assert.equal(patch.status(), 200, await patch.text());
    assert.deepEqual(JSON.parse(patch.request().postData()), { recurrence: null });
    await nextWeek.waitFor({ state: 'detached' });
    const [after] = (await events()).filter((e) => e.uid === event.uid);
    assert.equal(after.recurrence, null);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('on a phone (390x844) the week view scrolls sideways, the menu collapses, and an event can be added', async () => {
    const page = await newPage(browser, PHONE);
    await signInWithPassword(page, server.base, USER, password);
    const today = todayIn(ZONE);

    // The nav is behind the menu button.
    assert.equal(await byTestId(page, 'nav-month').isVisible(), false);
    await byTestId(page, 'menu-toggle').click();
    assert.equal(await byTestId(page, 'nav-month').isVisible(), true);
    await byTestId(page, 'menu-toggle').click();
    assert.equal(await byTestId(page, 'nav-month').isVisible(), false);

    const grid = byTestId(page, 'week-grid');
    const fits = await grid.evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, width: el.getBoundingClientRect().width }));
    assert.ok(fits.scrolls, 'seven columns scroll sideways');
    assert.ok(fits.width <= 390, `the grid fits the screen (${fits.width}px)`);
    const head = await byTestId(page, `day-head-${today}`).boundingBox();
    assert.ok(head.x >= 0 && head.x + head.width <= 390, `today's column is in view: ${JSON.stringify(head)}`);
    assert.ok(head.width >= 80, `a day column is wide enough to read (${head.width}px)`);

    await byTestId(page, `slot-${today}T18:00`).click();
    const dialog = byTestId(page, 'event-dialog');
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    assert.ok(box.width >= 380, `the dialog takes the screen's width (${box.width}px)`);
    await byTestId(page, 'title-input').fill('Phone call');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/events'));
    await byTestId(page, 'save-button').click();
    assert.equal((await created).status(), 201);
    await weekChip(page, 'Phone call').waitFor();
    assert.ok((await events()).some((e) => e.title === 'Phone call' && e.start === `${today}T18:00:00`));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the month view shows events as chips, all-day first, and leads to the week of a day', async () => {
    const today = todayIn(ZONE);
    for (const body of [
      { title: 'Gym', start: `${today}T07:00:00` },
      { title: 'Holiday', all_day: true, start: today },
    ]) {
      const made = await api('POST', '/calendars/default/events', body);
      assert.equal(made.status, 201, made.text);
    }

    const page = await newPage(browser);
    await signInWithPassword(page, server.base, USER, password);
    await byTestId(page, 'view-month').click();
    await page.waitForURL(/\/month/);
    const cell = byTestId(page, `month-day-${today}`);
    await cell.waitFor();
    assert.equal(await byTestId(page, 'month-grid').locator('.month-cell').count(), 42);
    assert.equal(await cell.getAttribute('aria-current'), 'date');
    const chips = cell.locator('[data-testid="event-chip"]');
    await chips.filter({ hasText: 'Gym' }).waitFor();
    await chips.filter({ hasText: 'Holiday' }).waitFor();
    const order = await chips.evaluateAll((list) => list.map((chip) => chip.classList.contains('all-day')));
    assert.deepEqual(order, [...order].sort((a, b) => Number(b) - Number(a)), `all-day events come first: ${order}`);
    assert.equal(order[0], true);
    assert.match(await chips.filter({ hasText: 'Gym' }).innerText(), /07:00 Gym/);

    // A chip opens its event.
    await chips.filter({ hasText: 'Gym' }).click();
    await byTestId(page, 'event-dialog').waitFor();
    assert.equal(await byTestId(page, 'title-input').inputValue(), 'Gym');
    await byTestId(page, 'cancel-button').click();
    await byTestId(page, 'event-dialog').waitFor({ state: 'detached' });

    // Next and back.
    const title = await byTestId(page, 'period-title').innerText();
    await byTestId(page, 'next').click();
    await page.waitForFunction((before) => document.querySelector('[data-testid="period-title"]')?.innerText !== before, title);
    await byTestId(page, 'today').click();
    await byTestId(page, `month-day-${today}`).waitFor();
    assert.equal(await byTestId(page, 'period-title').innerText(), title);

    // A day's number opens its week.
    await byTestId(page, `month-open-${today}`).click();
    await page.waitForURL(new RegExp(`/week\\?date=${today}`));
    await byTestId(page, `day-head-${today}`).waitFor();
    await weekChip(page, 'Gym').waitFor();
    await byTestId(page, `allday-${today}`).locator('[data-testid="event-chip"]', { hasText: 'Holiday' }).waitFor();
    await page.context().close();
  });

  test('a week of events, recurring ones expanded (screenshots with TELEVENT_SCREENSHOTS=1)', async () => {
    // A user of its own, so that the pictures show only these events.
    await server.addUser('sam', { timeZone: ZONE });
    const samPassword = await server.addDevice('sam', 'screenshots');
    const monday = mondayOf(todayIn(ZONE));
    for (const body of [
      { title: 'Standup', start: `${monday}T09:00:00`, end: `${monday}T09:15:00`, recurrence: 'weekdays' },
      { title: 'Lunch with Anna', start: `${addDays(monday, 2)}T12:30:00`, end: `${addDays(monday, 2)}T13:30:00`, location: 'Café Blau' },
      { title: 'Design review', start: `${addDays(monday, 1)}T14:00:00`, end: `${addDays(monday, 1)}T15:30:00` },
      { title: '1:1 with Ben', start: `${addDays(monday, 1)}T14:30:00`, end: `${addDays(monday, 1)}T15:00:00` },
      { title: 'Conference', all_day: true, start: addDays(monday, 3), end: addDays(monday, 5) },
      { title: 'Climbing', start: `${addDays(monday, 5)}T10:00:00`, end: `${addDays(monday, 5)}T12:00:00` },
      { title: 'Dentist', start: `${addDays(monday, 4)}T15:30:00`, end: `${addDays(monday, 4)}T16:30:00`, location: 'Main St 5', reminders: [60] },
      { title: 'Piano lesson', start: `${addDays(monday, 2)}T17:00:00`, end: `${addDays(monday, 2)}T18:00:00`, recurrence: 'weekly' },
      { title: 'Family dinner', start: `${addDays(monday, 6)}T18:30:00`, end: `${addDays(monday, 6)}T21:00:00` },
    ]) {
      const made = await server.basic('POST', '/api/v1/calendars/default/events', { user: 'sam', password: samPassword, body });
      assert.equal(made.status, 201, made.text);
    }

    const page = await newPage(browser);
    await signInWithPassword(page, server.base, 'sam', samPassword);
    await page.goto(`${server.base}/week?date=${monday}`);
    await weekChip(page, 'Climbing').waitFor();
    assert.equal(await weekChip(page, 'Standup').count(), 5, 'a weekday series shows Monday to Friday');
    for (const day of [3, 4]) {
      await byTestId(page, `allday-${addDays(monday, day)}`).locator('[data-testid="event-chip"]', { hasText: 'Conference' }).waitFor();
    }
    assert.equal(await byTestId(page, `allday-${addDays(monday, 5)}`).locator('[data-testid="event-chip"]', { hasText: 'Conference' }).count(), 0, 'the end of an all-day event is exclusive');
    // Overlapping events sit side by side.
    const review = await weekChip(page, 'Design review').boundingBox();
    const oneOnOne = await weekChip(page, '1:1 with Ben').boundingBox();
    assert.ok(oneOnOne.x >= review.x + review.width - 1 || review.x >= oneOnOne.x + oneOnOne.width - 1, 'overlapping events do not cover each other');
    await byTestId(page, 'week-grid').evaluate((el) => {
      el.scrollTop = el.querySelector('[data-testid$="T08:00"]').offsetTop;
    });
    await screenshot(page, 'week.png');

    await page.goto(`${server.base}/month?date=${monday}`);
    await byTestId(page, 'month-grid').locator('[data-testid="event-chip"]', { hasText: 'Climbing' }).waitFor();
    await screenshot(page, 'month.png');
    await page.context().close();
  });
});
