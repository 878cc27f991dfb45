// Televent's web page: one ES module, no build step, no dependencies.
// It speaks the REST API of docs/api.md (`/api/v1`). The session token from
// `POST /api/v1/sessions` is kept in sessionStorage and sent as `Authorization: Bearer`
// (inside Telegram's web view cookies do not work; in a browser the cookie works as well).

const TOKEN_KEY = 'televent.token';
const THEME_KEY = 'televent.theme';
const HOUR_START_SCROLL = 7;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const RECURRENCE_PRESETS = [
  ['none', 'Does not repeat'],
  ['daily', 'Every day'],
  ['weekdays', 'Every weekday (Mon–Fri)'],
  ['weekly', 'Every week'],
  ['monthly', 'Every month'],
  ['yearly', 'Every year'],
];
const THEME_VARIABLES = {
  bg_color: ['--bg', '--surface'],
  text_color: ['--text'],
  hint_color: ['--muted'],
  link_color: ['--link'],
  button_color: ['--accent', '--today', '--event-line'],
  button_text_color: ['--accent-text'],
  secondary_bg_color: ['--surface-2'],
};

const state = {
  me: null,
  calendars: null,
};

// ---------------------------------------------------------------------------------------
// Small DOM helpers

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name === 'testid') {
      element.dataset.testid = value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name === 'value') {
      element.value = value;
    } else if (name === 'checked' || name === 'selected' || name === 'disabled' || name === 'hidden') {
      element[name] = Boolean(value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function field(labelText, input, hint) {
  if (!input.id) input.id = `f-${Math.random().toString(36).slice(2, 9)}`;
  return h('div', { class: 'field' }, h('label', { for: input.id }, labelText), input, hint ? h('div', { class: 'hint' }, hint) : null);
}

function checkField(labelText, input) {
  if (!input.id) input.id = `f-${Math.random().toString(36).slice(2, 9)}`;
  return h('div', { class: 'field' }, h('label', { class: 'check', for: input.id }, input, labelText));
}

const app = () => document.getElementById('app');

function setPage(...children) {
  const main = app();
  main.replaceChildren();
  append(main, children);
}

// ---------------------------------------------------------------------------------------
// Messages: API problems are shown here, never a blank page.

let messageTimer = null;

function showMessage(text, kind = 'info') {
  const area = document.querySelector('[data-testid="message"]');
  if (!area) return;
  clearTimeout(messageTimer);
  area.textContent = text;
  area.className = `message ${kind}`;
  area.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  area.hidden = false;
  if (kind !== 'error') {
    messageTimer = setTimeout(() => {
      area.hidden = true;
    }, 5000);
  }
}

function clearMessage() {
  const area = document.querySelector('[data-testid="message"]');
  if (area) area.hidden = true;
}

function problemText(error) {
  if (error instanceof ApiError) {
    return error.detail || error.title || `The server answered ${error.status}.`;
  }
  return error?.message || String(error);
}

// ---------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.detail = problem?.detail;
    this.title = problem?.title;
  }
}

function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function setToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage may be off; the cookie still works in a browser.
  }
}

async function api(method, path, { body, headers = {}, signIn = false } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  const bearer = token();
  if (bearer && !signIn) init.headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    throw new ApiError(0, { title: 'Network error', detail: `The server cannot be reached (${error.message}).` });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 300) };
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !signIn) {
      const hadSession = Boolean(bearer) || state.me !== null;
      setToken(null);
      state.me = null;
      state.calendars = null;
      if (window.location.pathname !== '/login') navigate('/login', { replace: true });
      if (hadSession) showMessage('Your session has ended: please sign in again.', 'error');
    }
    throw error;
  }
  return { data, response };
}

const enc = encodeURIComponent;

async function allPages(path) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 50; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const url = cursor ? `${path}${separator}cursor=${enc(cursor)}` : path;
    const { data } = await api('GET', url);
    items.push(...(data?.items || []));
    cursor = data?.next_cursor;
    if (!cursor) break;
  }
  return items;
}

async function loadMe(force = false) {
  if (!state.me || force) state.me = (await api('GET', '/me')).data;
  return state.me;
}

async function loadCalendars(force = false) {
  if (!state.calendars || force) {
    const items = await allPages('/calendars');
    items.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    state.calendars = items;
  }
  return state.calendars;
}

// ---------------------------------------------------------------------------------------
// Dates. Dates are plain `YYYY-MM-DD` strings; arithmetic on them goes through UTC so that no
// browser zone gets in the way. Times shown are the API's local times in the user's zone.

const pad = (n) => String(n).padStart(2, '0');

function parseDate(text) {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function formatDate(date) {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function addDays(text, days) {
  const date = parseDate(text);
  date.setUTCDate(date.getUTCDate() + days);
  return formatDate(date);
}

function addMonths(text, months) {
  const date = parseDate(text);
  return formatDate(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}

function mondayOf(text) {
  const weekday = (parseDate(text).getUTCDay() + 6) % 7;
  return addDays(text, -weekday);
}

function minutesOf(localDateTime) {
  const [hh, mm] = localDateTime.slice(11, 16).split(':').map(Number);
  return hh * 60 + mm;
}

function validDate(text) {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(parseDate(text).getTime());
}

/** Now in the user's zone: {date: 'YYYY-MM-DD', minutes: 0..1439}. */
function nowInZone(zone) {
  const options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  let parts;
  try {
    parts = new Intl.DateTimeFormat('en-CA', { ...options, timeZone: zone || undefined }).formatToParts(new Date());
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', options).formatToParts(new Date());
  }
  const get = (type) => parts.find((p) => p.type === type)?.value;
  const hour = Number(get('hour')) % 24;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: hour * 60 + Number(get('minute')) };
}

const today = () => nowInZone(state.me?.time_zone).date;

function dayTitle(text, options) {
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', ...options }).format(parseDate(text));
}

function timeText(localDateTime) {
  return localDateTime.slice(11, 16);
}

// ---------------------------------------------------------------------------------------
// Telegram Mini App and sign-in from the URL fragment

function fragmentParams() {
  const hash = window.location.hash.replace(/^#/, '');
  return new URLSearchParams(hash);
}

function applyTheme(params) {
  if (!params || typeof params !== 'object') return;
  const root = document.documentElement;
  let applied = false;
  for (const [key, variables] of Object.entries(THEME_VARIABLES)) {
    const value = params[key];
    if (typeof value === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
      for (const variable of variables) root.style.setProperty(variable, value);
      applied = true;
    }
  }
  if (applied) {
    root.dataset.theme = 'telegram';
    try {
      sessionStorage.setItem(THEME_KEY, JSON.stringify(params));
    } catch {
      // no storage: the theme holds until the page reloads
    }
  }
}

function restoreTheme() {
  try {
    const saved = sessionStorage.getItem(THEME_KEY);
    if (saved) applyTheme(JSON.parse(saved));
  } catch {
    // a broken saved theme is ignored
  }
}

function clearFragment() {
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
}

async function signIn(body) {
  const { data } = await api('POST', '/sessions', { body, signIn: true });
  setToken(data?.token);
  state.me = null;
  state.calendars = null;
  return data;
}

/** Signs in from the fragment (a Mini App's initData, or a one-time link). Returns true when
    it did. */
async function signInFromUrl() {
  const params = fragmentParams();
  const telegram = window.Telegram?.WebApp;
  let initData = params.get('tgWebAppData');
  let theme = null;
  if (params.has('tgWebAppThemeParams')) {
    try {
      theme = JSON.parse(params.get('tgWebAppThemeParams'));
    } catch {
      theme = null;
    }
  }
  if (!initData && telegram?.initData) {
    initData = telegram.initData;
    theme = theme || telegram.themeParams;
  }
  if (theme) applyTheme(theme);
  if (initData) {
    clearFragment();
    try {
      telegram?.ready?.();
      telegram?.expand?.();
    } catch {
      // not in Telegram after all
    }
    try {
      await signIn({ method: 'telegram', init_data: initData });
    } catch (error) {
      navigate('/login', { replace: true });
      showMessage(`Telegram sign-in failed: ${problemText(error)}`, 'error');
      return 'failed';
    }
    return 'done';
  }
  const linkToken = params.get('token');
  if (linkToken && window.location.pathname === '/login') {
    clearFragment();
    setPage(h('p', { class: 'loading', testid: 'signing-in' }, 'Signing you in…'));
    try {
      await signIn({ method: 'link', token: linkToken });
    } catch (error) {
      showMessage(`This sign-in link did not work: ${problemText(error)} Send /web to the bot for a new one.`, 'error');
      return 'failed';
    }
    return 'done';
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Routing

const ROUTES = {
  '/': renderWeek,
  '/week': renderWeek,
  '/month': renderMonth,
  '/settings': renderSettings,
  '/devices': renderDevices,
  '/login': renderLogin,
};

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState({}, '', path);
  else history.pushState({}, '', path);
  route();
}

let routeCounter = 0;

async function route() {
  const id = ++routeCounter;
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  const render = ROUTES[path] || renderWeek;
  const signedInPage = render !== renderLogin;
  document.querySelector('[data-testid="topbar"]').hidden = !signedInPage;
  closeMenu();
  for (const link of document.querySelectorAll('.nav a')) {
    const current = link.getAttribute('href') === path || (path === '/' && link.getAttribute('href') === '/week');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    await render(new URLSearchParams(window.location.search), () => id === routeCounter);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    if (id !== routeCounter) return;
    showMessage(problemText(error), 'error');
    if (!app().querySelector('[data-page]')) {
      setPage(h('div', { class: 'panel', 'data-page': 'error' }, h('h1', {}, 'Something went wrong'), h('p', {}, problemText(error)), h('button', { type: 'button', onclick: () => route() }, 'Try again')));
    }
  }
}

function closeMenu() {
  const nav = document.getElementById('main-nav');
  const toggle = document.querySelector('[data-testid="menu-toggle"]');
  nav?.classList.remove('open');
  toggle?.setAttribute('aria-expanded', 'false');
}

// ---------------------------------------------------------------------------------------
// Login

async function renderLogin() {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, testid: 'login-user', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'login-submit' }, 'Sign in');
  const form = h(
    'form',
    {
      testid: 'login-form',
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        try {
          await signIn({ method: 'password', user: user.value.trim(), password: password.value });
          clearMessage();
          navigate('/week', { replace: true });
        } catch (error) {
          showMessage(problemText(error), 'error');
        } finally {
          submit.disabled = false;
        }
      },
    },
    field('User name', user),
    field('Device password', password, 'A password made with the bot\'s /devices or on the Devices page.'),
    submit,
  );
  setPage(
    h(
      'section',
      { class: 'panel login', 'data-page': 'login', testid: 'login-page' },
      h('div', { class: 'brand-big' }, h('img', { src: '/assets/icon.svg', alt: '', width: 36, height: 36 }), 'Televent'),
      h('h1', {}, 'Sign in'),
      h('p', { testid: 'login-bot-hint' }, 'Open the Televent bot and send ', h('strong', {}, '/web'), ': it answers with a link that signs you in here.'),
      h('p', { class: 'or' }, 'or'),
      form,
    ),
  );
  user.focus();
}

async function signOut() {
  try {
    await api('DELETE', '/sessions/current');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
  }
  setToken(null);
  state.me = null;
  state.calendars = null;
  navigate('/login', { replace: true });
  showMessage('Signed out.');
}

// ---------------------------------------------------------------------------------------
// Shared calendar chrome

function toolbar(title, { onPrev, onToday, onNext, view }) {
  return h(
    'div',
    { class: 'toolbar' },
    h('div', { class: 'group' }, h('button', { type: 'button', testid: 'prev', onclick: onPrev, 'aria-label': 'Previous' }, '‹ Prev'), h('button', { type: 'button', testid: 'today', onclick: onToday }, 'Today'), h('button', { type: 'button', testid: 'next', onclick: onNext, 'aria-label': 'Next' }, 'Next ›')),
    h('h1', { testid: 'period-title' }, title),
    h(
      'div',
      { class: 'group switch', role: 'group', 'aria-label': 'View' },
      h('button', { type: 'button', testid: 'view-week', 'aria-pressed': String(view === 'week'), onclick: () => navigate(`/week?date=${currentAnchor()}`) }, 'Week'),
      h('button', { type: 'button', testid: 'view-month', 'aria-pressed': String(view === 'month'), onclick: () => navigate(`/month?date=${currentAnchor()}`) }, 'Month'),
    ),
    h('button', { type: 'button', class: 'primary', testid: 'add-event', onclick: () => openNewEvent(defaultStart()) }, '+ New event'),
  );
}

function currentAnchor() {
  const date = new URLSearchParams(window.location.search).get('date');
  return validDate(date) ? date : today();
}

function defaultStart() {
  const anchor = currentAnchor();
  const now = nowInZone(state.me?.time_zone);
  if (anchor === now.date || mondayOf(anchor) === mondayOf(now.date)) {
    const hour = Math.min(23, Math.floor(now.minutes / 60) + 1);
    return `${now.date}T${pad(hour)}:00`;
  }
  return `${anchor}T09:00`;
}

async function occurrences(from, to) {
  const { data } = await api('GET', `/occurrences?from=${from}&to=${to}`);
  return data?.items || [];
}

/** An occurrence's date span: [firstDay, lastDay] inclusive. */
function occurrenceDays(occurrence) {
  const first = occurrence.start.slice(0, 10);
  let last = (occurrence.end || occurrence.start).slice(0, 10);
  if (occurrence.all_day) {
    last = occurrence.end ? addDays(occurrence.end.slice(0, 10), -1) : first;
  } else if (occurrence.end && occurrence.end.slice(11) <= '00:00:00' && last > first) {
    last = addDays(last, -1);
  }
  if (last < first) last = first;
  return [first, last];
}

function eventLabel(occurrence) {
  const when = occurrence.all_day ? 'all day' : `${timeText(occurrence.start)}–${timeText(occurrence.end || occurrence.start)}`;
  return `${occurrence.title || '(no title)'}, ${when}${occurrence.location ? `, ${occurrence.location}` : ''}`;
}

// ---------------------------------------------------------------------------------------
// Week view

let nowTimer = null;

async function renderWeek(query, stillCurrent) {
  const me = await loadMe();
  const anchor = validDate(query.get('date')) ? query.get('date') : today();
  const monday = mondayOf(anchor);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const items = await occurrences(monday, addDays(monday, 7));
  if (!stillCurrent()) return;
  const todayDate = today();

  const title = `${dayTitle(monday, { day: 'numeric', month: 'short' })} – ${dayTitle(days[6], { day: 'numeric', month: 'short', year: 'numeric' })}`;
  const bar = toolbar(title, {
    view: 'week',
    onPrev: () => navigate(`/week?date=${addDays(monday, -7)}`),
    onToday: () => navigate('/week'),
    onNext: () => navigate(`/week?date=${addDays(monday, 7)}`),
  });

  const head = h('div', { class: 'week-head' }, h('div', {}));
  const allDay = h('div', { class: 'week-allday', testid: 'allday-strip' }, h('div', { class: 'gutter' }, 'all day'));
  const body = h('div', { class: 'week-body' });
  const gutter = h('div', { class: 'gutter-col', 'aria-hidden': 'true' });
  for (let hour = 0; hour < 24; hour += 1) gutter.append(h('div', { class: 'hour-label' }, hour === 0 ? '' : `${pad(hour)}:00`));
  body.append(gutter);

  const timed = new Map(days.map((d) => [d, []]));
  const allDayByDay = new Map(days.map((d) => [d, []]));
  for (const occurrence of items) {
    const [first, last] = occurrenceDays(occurrence);
    for (const day of days) {
      if (day < first || day > last) continue;
      if (occurrence.all_day) {
        allDayByDay.get(day).push(occurrence);
      } else {
        const startMinutes = day === occurrence.start.slice(0, 10) ? minutesOf(occurrence.start) : 0;
        const endText = occurrence.end || occurrence.start;
        const endMinutes = day === endText.slice(0, 10) ? minutesOf(endText) : 24 * 60;
        // Short events get room for one line.
        timed.get(day).push({ occurrence, start: startMinutes, end: Math.max(endMinutes, startMinutes + 20) });
      }
    }
  }

  for (const day of days) {
    const isToday = day === todayDate;
    head.append(
      h(
        'div',
        { class: `day-head${isToday ? ' today' : ''}`, testid: `day-head-${day}`, 'aria-current': isToday ? 'date' : null },
        dayTitle(day, { weekday: 'short' }),
        h('strong', {}, String(parseDate(day).getUTCDate())),
      ),
    );
    const strip = h('div', { class: 'allday-cell', testid: `allday-${day}` });
    for (const occurrence of allDayByDay.get(day)) strip.append(chip(occurrence));
    allDay.append(strip);

    const column = h('div', { class: `day-col${isToday ? ' today' : ''}`, testid: `day-${day}`, dataset: { date: day } });
    for (let hour = 0; hour < 24; hour += 1) {
      const stamp = `${day}T${pad(hour)}:00`;
      column.append(
        h('button', {
          type: 'button',
          class: 'slot',
          testid: `slot-${stamp}`,
          // 168 slots are too many tab stops: the keyboard path is "+ New event".
          tabindex: '-1',
          'aria-label': `New event ${dayTitle(day, { weekday: 'long', day: 'numeric', month: 'long' })} at ${pad(hour)}:00`,
          onclick: () => openNewEvent(stamp),
        }),
      );
    }
    for (const block of layoutColumns(timed.get(day))) {
      const { occurrence } = block;
      const button = h(
        'button',
        {
          type: 'button',
          class: block.end - block.start < 45 ? 'event short' : 'event',
          testid: 'event-chip',
          'aria-label': eventLabel(occurrence),
          title: eventLabel(occurrence),
          dataset: { event: occurrence.event, calendar: occurrence.calendar },
          onclick: () => openExistingEvent(occurrence.calendar, occurrence.event),
        },
        h('span', { class: 'time' }, block.end - block.start < 45 ? timeText(occurrence.start) : `${timeText(occurrence.start)}–${timeText(occurrence.end || occurrence.start)}`),
        occurrence.title || '(no title)',
      );
      button.style.top = `calc(var(--hour) * ${block.start / 60})`;
      button.style.height = `calc(var(--hour) * ${(block.end - block.start) / 60} - 2px)`;
      button.style.left = `calc(${(100 * block.column) / block.columns}% + 2px)`;
      button.style.width = `calc(${100 / block.columns}% - 4px)`;
      button.style.right = 'auto';
      column.append(button);
    }
    if (isToday) {
      const line = h('div', { class: 'now-line', testid: 'now-line', 'aria-hidden': 'true' });
      column.append(line);
    }
    body.append(column);
  }

  const grid = h('div', { class: 'week', testid: 'week-grid', 'aria-label': `Week of ${title}` }, h('div', { class: 'week-inner' }, h('div', { class: 'week-top' }, head, allDay), body));
  setPage(h('section', { 'data-page': 'week', testid: 'week-view' }, bar, grid));
  document.title = `Week ${title} · Televent`;

  placeNowLine();
  clearInterval(nowTimer);
  nowTimer = setInterval(placeNowLine, 60_000);

  // Scroll to the morning, or to now in this week; on a narrow screen bring today into view.
  const hourHeight = body.querySelector('.slot')?.getBoundingClientRect().height || 48;
  const now = nowInZone(me.time_zone);
  const startHour = days.includes(todayDate) ? Math.max(0, Math.floor(now.minutes / 60) - 1) : HOUR_START_SCROLL;
  grid.scrollTop = Math.min(startHour, HOUR_START_SCROLL + 3) * hourHeight;
  const todayColumn = body.querySelector('.day-col.today');
  if (todayColumn && grid.scrollWidth > grid.clientWidth) {
    grid.scrollLeft = Math.max(0, todayColumn.offsetLeft - gutter.getBoundingClientRect().width);
  }
}

function placeNowLine() {
  const line = document.querySelector('[data-testid="now-line"]');
  if (!line) {
    clearInterval(nowTimer);
    return;
  }
  const now = nowInZone(state.me?.time_zone);
  line.style.top = `calc(var(--hour) * ${now.minutes / 60})`;
}

/** Side-by-side columns for overlapping events of one day. */
function layoutColumns(blocks) {
  const sorted = [...blocks].sort((a, b) => a.start - b.start || b.end - a.end);
  const result = [];
  let cluster = [];
  let clusterEnd = -1;
  const flush = () => {
    const columnsEnd = [];
    for (const block of cluster) {
      let column = columnsEnd.findIndex((end) => end <= block.start);
      if (column === -1) {
        column = columnsEnd.length;
        columnsEnd.push(block.end);
      } else {
        columnsEnd[column] = block.end;
      }
      block.column = column;
    }
    for (const block of cluster) block.columns = columnsEnd.length;
    result.push(...cluster);
    cluster = [];
  };
  for (const block of sorted) {
    if (cluster.length && block.start >= clusterEnd) {
      flush();
      clusterEnd = -1;
    }
    cluster.push(block);
    clusterEnd = Math.max(clusterEnd, block.end);
  }
  if (cluster.length) flush();
  return result;
}

function chip(occurrence) {
  const label = occurrence.all_day ? occurrence.title || '(no title)' : `${timeText(occurrence.start)} ${occurrence.title || '(no title)'}`;
  return h(
    'button',
    {
      type: 'button',
      class: `chip${occurrence.all_day ? ' all-day' : ''}`,
      testid: 'event-chip',
      title: eventLabel(occurrence),
      'aria-label': eventLabel(occurrence),
      dataset: { event: occurrence.event, calendar: occurrence.calendar },
      onclick: (event) => {
        event.stopPropagation();
        openExistingEvent(occurrence.calendar, occurrence.event);
      },
    },
    label,
  );
}

// ---------------------------------------------------------------------------------------
// Month view

async function renderMonth(query, stillCurrent) {
  await loadMe();
  const anchor = validDate(query.get('date')) ? query.get('date') : today();
  const first = `${anchor.slice(0, 7)}-01`;
  const gridStart = mondayOf(first);
  const gridEnd = addDays(gridStart, 42);
  const items = await occurrences(gridStart, gridEnd);
  if (!stillCurrent()) return;
  const todayDate = today();
  const month = anchor.slice(0, 7);

  const byDay = new Map();
  for (const occurrence of items) {
    const [start, last] = occurrenceDays(occurrence);
    for (let day = start < gridStart ? gridStart : start; day <= last && day < gridEnd; day = addDays(day, 1)) {
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(occurrence);
    }
  }

  const title = dayTitle(first, { month: 'long', year: 'numeric' });
  const bar = toolbar(title, {
    view: 'month',
    onPrev: () => navigate(`/month?date=${addMonths(first, -1)}`),
    onToday: () => navigate('/month'),
    onNext: () => navigate(`/month?date=${addMonths(first, 1)}`),
  });
  const head = h('div', { class: 'month-head', 'aria-hidden': 'true' }, WEEKDAYS.map((d) => h('div', {}, d)));
  const grid = h('div', { class: 'month-grid', testid: 'month-grid', role: 'grid', 'aria-label': title });
  const maxChips = window.matchMedia('(max-width: 640px)').matches ? 2 : 3;
  for (let i = 0; i < 42; i += 1) {
    const day = addDays(gridStart, i);
    const list = (byDay.get(day) || []).sort((a, b) => Number(b.all_day) - Number(a.all_day) || a.start.localeCompare(b.start));
    const cell = h(
      'div',
      {
        class: `month-cell${day.slice(0, 7) !== month ? ' other' : ''}${day === todayDate ? ' today' : ''}`,
        testid: `month-day-${day}`,
        role: 'gridcell',
        'aria-current': day === todayDate ? 'date' : null,
        onclick: (event) => {
          if (event.target === cell) openNewEvent(`${day}T09:00`);
        },
      },
      h(
        'button',
        {
          type: 'button',
          class: 'day-number',
          testid: `month-open-${day}`,
          'aria-label': `Week of ${dayTitle(day, { weekday: 'long', day: 'numeric', month: 'long' })}`,
          onclick: () => navigate(`/week?date=${day}`),
        },
        String(parseDate(day).getUTCDate()),
      ),
    );
    for (const occurrence of list.slice(0, maxChips)) cell.append(chip(occurrence));
    if (list.length > maxChips) {
      cell.append(h('button', { type: 'button', class: 'link-button more', onclick: () => navigate(`/week?date=${day}`) }, `+${list.length - maxChips} more`));
    }
    grid.append(cell);
  }
  setPage(h('section', { 'data-page': 'month', testid: 'month-view' }, bar, h('div', { class: 'month' }, head, grid), h('p', { class: 'hint' }, 'Click a day\'s number to open its week, or an empty part of a day to add an event.')));
  document.title = `${title} · Televent`;
}

// ---------------------------------------------------------------------------------------
// The event dialog (add and edit)

function toInputDateTime(text) {
  return text ? text.slice(0, 16) : '';
}

function fromInputDateTime(text) {
  return text && text.length === 16 ? `${text}:00` : text;
}

function plusMinutes(localInput, minutes) {
  const date = new Date(`${localInput.slice(0, 16)}:00Z`);
  date.setUTCMinutes(date.getUTCMinutes() + minutes);
  return date.toISOString().slice(0, 16);
}

async function openNewEvent(start) {
  try {
    await loadMe();
    const calendars = await loadCalendars();
    if (!calendars.length) {
      showMessage('You have no calendar yet.', 'error');
      return;
    }
    eventDialog({
      mode: 'new',
      calendars,
      calendar: calendars[0].id,
      values: { title: '', all_day: false, start: `${start}:00`, end: `${plusMinutes(start, 60)}:00`, location: '', description: '', recurrence: 'none', reminders: '', attendees: '' },
    });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
  }
}

async function openExistingEvent(calendar, eventId) {
  try {
    await loadMe();
    const calendars = await loadCalendars();
    const event = await fetchEvent(calendar, eventId);
    eventDialog({ mode: 'edit', calendars, calendar, event, values: valuesOf(event) });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
  }
}

async function fetchEvent(calendar, eventId) {
  const { data, response } = await api('GET', `/calendars/${enc(calendar)}/events/${enc(eventId)}`);
  if (!data.etag && response.headers.get('ETag')) data.etag = response.headers.get('ETag');
  return data;
}

function recurrencePreset(recurrence) {
  if (!recurrence) return 'none';
  if (typeof recurrence === 'string') return recurrence;
  return recurrence.preset || 'custom';
}

function valuesOf(event) {
  return {
    title: event.title || '',
    all_day: Boolean(event.all_day),
    start: event.start || '',
    end: event.end || '',
    location: event.location || '',
    description: event.description || '',
    recurrence: recurrencePreset(event.recurrence),
    reminders: (event.reminders || []).join(', '),
    attendees: (event.attendees || []).map((a) => (typeof a === 'string' ? a : a.email)).filter(Boolean).join(', '),
  };
}

function parseList(text) {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

let openDialog = null;

function eventDialog({ mode, calendars, calendar, event, values }) {
  openDialog?.close();
  const zone = event?.time_zone && state.me?.time_zone && event.time_zone !== state.me.time_zone ? event.time_zone : null;
  const error = h('p', { class: 'dialog-error', role: 'alert', testid: 'dialog-error', hidden: true });
  const title = h('input', { name: 'title', required: true, testid: 'title-input', value: values.title, autocomplete: 'off' });
  const allDay = h('input', { type: 'checkbox', name: 'all_day', testid: 'all-day-input', checked: values.all_day });
  const start = h('input', { name: 'start', required: true, testid: 'start-input' });
  const end = h('input', { name: 'end', testid: 'end-input' });
  const location = h('input', { name: 'location', testid: 'location-input', value: values.location, autocomplete: 'off' });
  const description = h('textarea', { name: 'description', testid: 'description-input' });
  description.value = values.description;
  const recurrence = h(
    'select',
    { name: 'recurrence', testid: 'recurrence-select' },
    RECURRENCE_PRESETS.map(([value, text]) => h('option', { value, selected: value === values.recurrence }, text)),
    values.recurrence === 'custom' ? h('option', { value: 'custom', selected: true }, `Custom (${event?.recurrence?.rrule || 'rule'})`) : null,
  );
  const reminders = h('input', { name: 'reminders', testid: 'reminders-input', inputmode: 'numeric', value: values.reminders, placeholder: 'e.g. 15', autocomplete: 'off' });
  const attendees = h('input', { name: 'attendees', testid: 'attendees-input', type: 'text', inputmode: 'email', value: values.attendees, placeholder: 'anna@example.com, bob@example.com', autocomplete: 'off' });
  const calendarSelect = h(
    'select',
    { name: 'calendar', testid: 'calendar-select', disabled: mode === 'edit' },
    calendars.map((c) => h('option', { value: c.id, selected: c.id === calendar }, c.name || c.id)),
  );

  // Start and end follow the all-day box: dates or local date-times.
  const setKind = (isAllDay, startText, endText) => {
    start.type = isAllDay ? 'date' : 'datetime-local';
    end.type = isAllDay ? 'date' : 'datetime-local';
    if (isAllDay) {
      start.value = (startText || '').slice(0, 10);
      // The API's end of an all-day event is exclusive; the form shows the last day.
      const endDay = (endText || '').slice(0, 10);
      end.value = endDay && endDay > start.value ? addDays(endDay, -1) : start.value;
    } else {
      start.value = toInputDateTime(startText.length === 10 ? `${startText}T09:00` : startText);
      end.value = endText ? toInputDateTime(endText.length === 10 ? `${startText.slice(0, 10)}T10:00` : endText) : plusMinutes(start.value, 60);
    }
  };
  setKind(values.all_day, values.start, values.end);
  allDay.addEventListener('change', () => {
    if (allDay.checked) setKind(true, start.value, end.value ? addDays(end.value.slice(0, 10), 1) : '');
    else setKind(false, `${start.value.slice(0, 10)}T09:00`, `${start.value.slice(0, 10)}T10:00`);
  });
  let lastStart = start.value;
  start.addEventListener('change', () => {
    // Moving the start moves the end with it.
    if (!start.value || !lastStart) return;
    if (!allDay.checked && end.value) {
      const span = (new Date(`${end.value}:00Z`) - new Date(`${lastStart}:00Z`)) / 60000;
      end.value = plusMinutes(start.value, Number.isFinite(span) && span > 0 ? span : 60);
    } else if (allDay.checked && end.value) {
      const span = Math.round((parseDate(end.value) - parseDate(lastStart)) / 86400000);
      end.value = addDays(start.value, Math.max(0, span));
    }
    lastStart = start.value;
  });

  const save = h('button', { type: 'submit', class: 'primary', testid: 'save-button' }, mode === 'new' ? 'Add' : 'Save');
  const remove = mode === 'edit' ? h('button', { type: 'button', class: 'danger', testid: 'delete-button' }, 'Delete') : null;
  const cancel = h('button', { type: 'button', testid: 'cancel-button' }, 'Cancel');

  const form = h(
    'form',
    { method: 'dialog', testid: 'event-form' },
    h('h2', { testid: 'event-dialog-title' }, mode === 'new' ? 'New event' : 'Edit event'),
    error,
    field('Title', title),
    checkField('All day', allDay),
    h('div', { class: 'row' }, field('Starts', start), field('Ends', end)),
    zone ? h('p', { class: 'hint' }, `Times are in the event's zone, ${zone}.`) : null,
    field('Location', location),
    field('Description', description),
    h('div', { class: 'row' }, field('Repeats', recurrence, event?.recurrence ? 'A change applies to every occurrence.' : null), field('Reminders (minutes before)', reminders)),
    field('Attendees (e-mail addresses, comma-separated)', attendees),
    calendars.length > 1 || mode === 'new' ? field('Calendar', calendarSelect) : null,
    h('div', { class: 'dialog-actions' }, remove, h('span', { class: 'spacer' }), cancel, save),
  );
  const dialog = h('dialog', { testid: 'event-dialog', 'aria-labelledby': 'event-dialog-heading' }, form);
  form.querySelector('h2').id = 'event-dialog-heading';
  document.body.append(dialog);
  openDialog = dialog;
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (openDialog === dialog) openDialog = null;
  });
  cancel.addEventListener('click', () => dialog.close());

  let current = event;
  let original = values;
  const showError = (text) => {
    error.textContent = text;
    error.hidden = false;
  };
  const refill = (fresh) => {
    current = fresh;
    original = valuesOf(fresh);
    title.value = original.title;
    allDay.checked = original.all_day;
    setKind(original.all_day, original.start, original.end);
    lastStart = start.value;
    location.value = original.location;
    description.value = original.description;
    recurrence.value = original.recurrence;
    reminders.value = original.reminders;
    attendees.value = original.attendees;
  };

  const collect = () => {
    const isAllDay = allDay.checked;
    let startValue = start.value;
    let endValue = end.value;
    if (isAllDay) {
      endValue = endValue ? addDays(endValue, 1) : addDays(startValue, 1);
    } else {
      startValue = fromInputDateTime(startValue);
      endValue = endValue ? fromInputDateTime(endValue) : '';
    }
    const reminderList = parseList(reminders.value).map(Number);
    if (reminderList.some((n) => !Number.isInteger(n) || n < 0)) throw new Error('Reminders are whole minutes, for example 15 or 10, 60.');
    return {
      title: title.value.trim(),
      all_day: isAllDay,
      start: startValue,
      end: endValue,
      location: location.value.trim(),
      description: description.value.trim(),
      recurrence: recurrence.value,
      reminders: reminderList,
      attendees: parseList(attendees.value),
    };
  };

  form.addEventListener('submit', async (submitEvent) => {
    submitEvent.preventDefault();
    error.hidden = true;
    let next;
    try {
      next = collect();
    } catch (problem) {
      showError(problem.message);
      return;
    }
    if (!next.title) {
      showError('The event needs a title.');
      return;
    }
    if (next.end && next.end < next.start) {
      showError('The event ends before it starts.');
      return;
    }
    save.disabled = true;
    try {
      if (mode === 'new') {
        const body = { title: next.title, all_day: next.all_day, start: next.start };
        if (next.end) body.end = next.end;
        if (next.location) body.location = next.location;
        if (next.description) body.description = next.description;
        if (next.recurrence !== 'none') body.recurrence = next.recurrence;
        if (next.reminders.length) body.reminders = next.reminders;
        if (next.attendees.length) body.attendees = next.attendees;
        await api('POST', `/calendars/${enc(calendarSelect.value)}/events`, { body });
        dialog.close();
        showMessage(`Added “${next.title}”.`);
      } else {
        const patch = changes(original, next);
        if (Object.keys(patch).length) {
          await api('PATCH', `/calendars/${enc(calendar)}/events/${enc(current.id)}`, { body: patch, headers: ifMatch(current) });
          showMessage(`Saved “${next.title}”.`);
        }
        dialog.close();
      }
      await route();
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 412) {
        await reloadAfterConflict(calendar, current, refill, showError);
      } else if (!(problem instanceof ApiError && problem.status === 401)) {
        showError(problemText(problem));
      }
    } finally {
      save.disabled = false;
    }
  });

  remove?.addEventListener('click', async () => {
    error.hidden = true;
    const ok = await confirmDialog(`Delete “${current.title || 'this event'}”${current.recurrence ? ' and all its occurrences' : ''}?`, 'Delete');
    if (!ok) return;
    remove.disabled = true;
    try {
      await api('DELETE', `/calendars/${enc(calendar)}/events/${enc(current.id)}`, { headers: ifMatch(current) });
      dialog.close();
      showMessage(`Deleted “${current.title || 'the event'}”.`);
      await route();
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 412) {
        await reloadAfterConflict(calendar, current, refill, showError);
      } else if (!(problem instanceof ApiError && problem.status === 401)) {
        showError(problemText(problem));
      }
    } finally {
      remove.disabled = false;
    }
  });

  dialog.showModal();
  title.focus();
}

function ifMatch(event) {
  return event?.etag ? { 'If-Match': event.etag } : {};
}

async function reloadAfterConflict(calendar, current, refill, showError) {
  try {
    const fresh = await fetchEvent(calendar, current.id);
    refill(fresh);
    showError('This event was changed elsewhere in the meantime. The latest version is shown now; make your change again.');
  } catch (problem) {
    if (problem instanceof ApiError && problem.status === 404) {
      showError('This event was deleted elsewhere in the meantime.');
      route();
    } else {
      showError(problemText(problem));
    }
  }
}

/** The fields of `next` that differ from `before`, as a PATCH body. */
function changes(before, next) {
  const patch = {};
  const text = (key) => {
    if ((before[key] || '') !== next[key]) patch[key] = next[key] === '' ? null : next[key];
  };
  text('title');
  text('location');
  text('description');
  const timesChanged = before.all_day !== next.all_day || before.start.slice(0, 16) !== next.start.slice(0, 16) || (before.end || '').slice(0, 16) !== (next.end || '').slice(0, 16);
  if (timesChanged) {
    patch.all_day = next.all_day;
    patch.start = next.start;
    patch.end = next.end || null;
  }
  if (before.recurrence !== next.recurrence && next.recurrence !== 'custom') patch.recurrence = next.recurrence === 'none' ? null : next.recurrence;
  const reminders = next.reminders.join(', ');
  if (before.reminders !== reminders) patch.reminders = next.reminders;
  if (before.attendees !== next.attendees.join(', ')) patch.attendees = next.attendees;
  return patch;
}

function confirmDialog(text, yesText = 'OK') {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'danger', testid: 'confirm-yes' }, yesText);
    const no = h('button', { type: 'button', testid: 'confirm-no' }, 'Cancel');
    const dialog = h('dialog', { testid: 'confirm-dialog', role: 'alertdialog', 'aria-label': text }, h('div', { class: 'dialog-body' }, h('p', {}, text), h('div', { class: 'dialog-actions' }, no, yes)));
    let answer = false;
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    no.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

// ---------------------------------------------------------------------------------------
// Settings

function timeZoneNames() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

async function renderSettings(_query, stillCurrent) {
  const me = await loadMe(true);
  if (!stillCurrent()) return;
  const prefs = me.preferences || {};
  const zones = h('datalist', { id: 'time-zones' }, timeZoneNames().map((z) => h('option', { value: z })));
  const zone = h('input', { name: 'time_zone', list: 'time-zones', testid: 'settings-time-zone', value: me.time_zone || '', autocomplete: 'off', required: true });
  const reminder = h('input', { name: 'reminder', type: 'number', min: 0, step: 1, testid: 'settings-reminder', value: prefs.reminder_minutes_before ?? '', placeholder: 'none' });
  const digest = h('input', { name: 'digest', type: 'time', testid: 'settings-digest-time', value: prefs.daily_digest_time ?? '' });
  const notifications = h('input', { type: 'checkbox', testid: 'settings-notifications', checked: prefs.notifications_enabled !== false });
  const whenEmpty = h('input', { type: 'checkbox', testid: 'settings-digest-empty', checked: Boolean(prefs.digest_when_empty) });
  const save = h('button', { type: 'submit', class: 'primary', testid: 'settings-save' }, 'Save');
  const form = h(
    'form',
    {
      testid: 'settings-form',
      onsubmit: async (event) => {
        event.preventDefault();
        const body = {
          time_zone: zone.value.trim(),
          preferences: {
            reminder_minutes_before: reminder.value === '' ? null : Number(reminder.value),
            daily_digest_time: digest.value === '' ? null : digest.value.slice(0, 5),
            notifications_enabled: notifications.checked,
            digest_when_empty: whenEmpty.checked,
          },
        };
        save.disabled = true;
        try {
          const { data } = await api('PATCH', '/me', { body });
          state.me = data && data.name ? data : await loadMe(true);
          showMessage('Settings saved.');
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
        } finally {
          save.disabled = false;
        }
      },
    },
    field('Time zone', zone, 'An IANA name such as Europe/Berlin; the week and month views use it.'),
    zones,
    field('Reminder before each event (minutes)', reminder, 'Empty: no reminder unless the event has its own.'),
    field('Daily digest at', digest, 'Empty: no digest.'),
    checkField('Notifications on', notifications),
    checkField('Send the digest on days without events too', whenEmpty),
    save,
  );
  setPage(
    h(
      'section',
      { class: 'panel', 'data-page': 'settings', testid: 'settings-page' },
      h('h1', {}, 'Settings'),
      h('p', { class: 'hint' }, `Signed in as ${me.name}${me.telegram_linked ? ', linked to Telegram' : ''}.`),
      form,
    ),
  );
  document.title = 'Settings · Televent';
}

// ---------------------------------------------------------------------------------------
// Devices and subscriptions

function when(instant) {
  if (!instant) return 'never';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return String(instant);
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: state.me?.time_zone || undefined }).format(date);
}

function copyRow(text, testid) {
  const value = h('code', { class: 'secret', testid }, text);
  const button = h(
    'button',
    {
      type: 'button',
      testid: `${testid}-copy`,
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(text);
          button.textContent = 'Copied';
        } catch {
          const range = document.createRange();
          range.selectNodeContents(value);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          button.textContent = 'Selected: copy it';
        }
      },
    },
    'Copy',
  );
  return h('div', { class: 'copy-row' }, value, button);
}

function setupSteps(caldavUrl, userName) {
  return h(
    'div',
    { class: 'setup', testid: 'setup-steps' },
    h('details', {}, h('summary', {}, 'iPhone, iPad and macOS'), h('ol', {}, h('li', {}, 'Settings → Calendar → Accounts → Add Account → Other → Add CalDAV Account (on a Mac: Calendar → Settings → Accounts → + → Other CalDAV Account, type Manual).'), h('li', {}, `Server: ${caldavUrl}`), h('li', {}, `User name: ${userName}; password: the one above.`))),
    h('details', {}, h('summary', {}, 'Thunderbird'), h('ol', {}, h('li', {}, 'Calendar → New Calendar → On the Network.'), h('li', {}, `User name: ${userName}; location: ${caldavUrl}`), h('li', {}, 'Find Calendars, enter the password, pick the calendars to subscribe.'))),
    h('details', {}, h('summary', {}, 'Android (DAVx⁵)'), h('ol', {}, h('li', {}, 'Install DAVx⁵, tap + → Login with URL and user name.'), h('li', {}, `Base URL: ${caldavUrl}; user name: ${userName}; password: the one above.`), h('li', {}, 'Create the account, tick the calendars to sync; they show in your calendar app.'))),
  );
}

async function renderDevices(_query, stillCurrent) {
  const me = await loadMe();
  const [devices, calendars] = await Promise.all([allPages('/devices'), loadCalendars(true)]);
  if (!stillCurrent()) return;

  const created = h('div', { testid: 'device-created', hidden: true });
  const label = h('input', { name: 'label', testid: 'device-label', placeholder: 'iPhone, Thunderbird…', required: true, autocomplete: 'off' });
  const add = h('button', { type: 'submit', class: 'primary', testid: 'device-add' }, 'Add device');
  const addForm = h(
    'form',
    {
      testid: 'device-form',
      onsubmit: async (event) => {
        event.preventDefault();
        add.disabled = true;
        try {
          const { data } = await api('POST', '/devices', { body: { label: label.value.trim() } });
          const password = data.password;
          const caldavUrl = data.caldav_url;
          const userName = data.user_name;
          const deviceLabel = data.device.label;
          await renderDevices(new URLSearchParams(), () => true);
          const box = app().querySelector('[data-testid="device-created"]');
          box.replaceChildren(
            h(
              'div',
              { class: 'new-device' },
              h('h2', {}, `Password for “${deviceLabel}”`),
              h('p', {}, 'It is shown only now: enter it in the calendar app.'),
              field('Password', copyRow(password, 'device-password')),
              field('CalDAV URL', copyRow(caldavUrl, 'device-caldav-url')),
              field('User name', copyRow(userName, 'device-user')),
              setupSteps(caldavUrl, userName),
            ),
          );
          box.hidden = false;
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
        } finally {
          add.disabled = false;
        }
      },
    },
    h('div', { class: 'row' }, field('New device', label), h('div', { class: 'field', style: null }, h('label', {}, '\u00a0'), add)),
  );

  const list = h('ul', { class: 'list', testid: 'device-list' });
  if (!devices.length) list.append(h('li', { class: 'hint' }, 'No device passwords yet.'));
  for (const device of devices) {
    const revoked = Boolean(device.revoked_at);
    list.append(
      h(
        'li',
        { class: revoked ? 'revoked' : '', testid: 'device-row', dataset: { id: device.id } },
        h('div', {}, h('strong', {}, device.label || '(no label)'), h('div', { class: 'meta' }, `created ${when(device.created_at)} · last used ${when(device.last_used_at)}${revoked ? ` · revoked ${when(device.revoked_at)}` : ''}`)),
        revoked
          ? h('span', { class: 'meta' }, 'revoked')
          : h(
              'button',
              {
                type: 'button',
                class: 'danger',
                testid: 'device-revoke',
                onclick: async () => {
                  if (!(await confirmDialog(`Revoke the password of “${device.label}”? The device stops syncing at once.`, 'Revoke'))) return;
                  try {
                    await api('DELETE', `/devices/${enc(device.id)}`);
                    showMessage(`Revoked “${device.label}”.`);
                    await renderDevices(new URLSearchParams(), () => true);
                  } catch (error) {
                    if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
                  }
                },
              },
              'Revoke',
            ),
      ),
    );
  }

  const subscriptions = h('div', { testid: 'subscriptions' });
  for (const calendar of calendars) subscriptions.append(subscriptionBlock(calendar));

  setPage(
    h(
      'div',
      { 'data-page': 'devices', testid: 'devices-page' },
      h(
        'section',
        { class: 'panel' },
        h('h1', {}, 'Devices'),
        h('p', { class: 'hint' }, 'Each calendar app signs in to CalDAV with your user name and its own password. Revoke a password when a device is gone.'),
        field('CalDAV URL', copyRow(me.caldav_url, 'caldav-url')),
        created,
        addForm,
        list,
      ),
      h('section', { class: 'panel' }, h('h2', {}, 'Subscription links'), h('p', { class: 'hint' }, 'A secret read-only address of a calendar, for apps that only subscribe to .ics links. Anyone with the link can read the calendar.'), subscriptions),
    ),
  );
  document.title = 'Devices · Televent';
}

function subscriptionBlock(calendar) {
  const block = h('div', { class: 'subscription', testid: `subscription-${calendar.id}` }, h('p', {}, h('strong', {}, calendar.name || calendar.id)), h('p', { class: 'hint' }, 'Loading…'));
  const path = `/calendars/${enc(calendar.id)}/subscription`;
  const draw = (url) => {
    const actions = h(
      'div',
      { class: 'dialog-actions' },
      h(
        'button',
        {
          type: 'button',
          testid: 'subscription-new',
          onclick: async () => {
            if (url && !(await confirmDialog('Make a new link? The old one stops working.', 'New link'))) return;
            try {
              const { data } = await api('PUT', path);
              draw(subscriptionUrl(data));
            } catch (error) {
              if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
            }
          },
        },
        url ? 'New link' : 'Make a link',
      ),
      url
        ? h(
            'button',
            {
              type: 'button',
              class: 'danger',
              testid: 'subscription-revoke',
              onclick: async () => {
                if (!(await confirmDialog('Revoke this link? Apps subscribed to it stop getting updates.', 'Revoke'))) return;
                try {
                  await api('DELETE', path);
                  draw(null);
                } catch (error) {
                  if (!(error instanceof ApiError && error.status === 401)) showMessage(problemText(error), 'error');
                }
              },
            },
            'Revoke',
          )
        : null,
    );
    block.replaceChildren(h('p', {}, h('strong', {}, calendar.name || calendar.id)), url ? copyRow(url, 'subscription-url') : h('p', { class: 'hint' }, 'No link.'), actions);
  };
  api('GET', path)
    .then(({ data }) => draw(subscriptionUrl(data)))
    .catch((error) => {
      if (error instanceof ApiError && error.status === 404) draw(null);
      else if (!(error instanceof ApiError && error.status === 401)) block.replaceChildren(h('p', { class: 'dialog-error' }, problemText(error)));
    });
  return block;
}

function subscriptionUrl(data) {
  return data ? data.url : null;
}

// ---------------------------------------------------------------------------------------
// Start

function wireChrome() {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-link]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', () => route());
  document.querySelector('[data-testid="sign-out"]').addEventListener('click', signOut);
  const toggle = document.querySelector('[data-testid="menu-toggle"]');
  toggle.addEventListener('click', () => {
    const nav = document.getElementById('main-nav');
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('keydown', (event) => {
    if (event.target.closest?.('input, textarea, select, dialog')) return;
    const page = app().querySelector('[data-page]')?.dataset.page;
    if (page !== 'week' && page !== 'month') return;
    if (event.key === 'ArrowLeft') app().querySelector('[data-testid="prev"]')?.click();
    if (event.key === 'ArrowRight') app().querySelector('[data-testid="next"]')?.click();
  });
}

async function start() {
  wireChrome();
  restoreTheme();
  const signedIn = await signInFromUrl();
  if (signedIn === 'failed') {
    if (window.location.pathname === '/login') await route();
    return;
  }
  const path = window.location.pathname;
  if (signedIn === 'done' && (path === '/login' || path === '/')) {
    navigate('/week', { replace: true });
    return;
  }
  if (path !== '/login' && !token()) {
    // Maybe a cookie session: /me tells (a 401 sends us to /login).
  }
  await route();
}

start().catch((error) => {
  showMessage(problemText(error), 'error');
});
