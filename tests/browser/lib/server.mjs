// A real `televent serve` for the browser tests: its own temporary SQLite database, loopback
// only, users and device passwords made with the CLI.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The bot token the server checks Mini App initData with. Nothing reaches Telegram: the
    server runs with --no-bot and a Bot API URL on a closed loopback port. */
export const BOT_TOKEN = '123456789:TEST-bot-token-for-browser-tests';

export function binary() {
  const bin = process.env.TELEVENT_BIN || 'target/debug/televent';
  return path.isAbsolute(bin) ? bin : path.join(REPO_ROOT, bin);
}

/** Starts a server in a fresh directory. Returns helpers; call `stop()` when done. */
export async function startServer() {
  const dir = await mkdtemp(path.join(tmpdir(), 'televent-browser-'));
  const env = {
    ...process.env,
    TELEVENT_DATABASE_URL: `sqlite://${path.join(dir, 'televent.db')}`,
    TELEVENT_LOG: process.env.TELEVENT_LOG || 'warn',
    TELEVENT_BOT_TOKEN: BOT_TOKEN,
    TELEVENT_TELEGRAM_API_URL: 'http://127.0.0.1:1',
  };
  delete env.TELEVENT_PUBLIC_URL;
  delete env.TELEVENT_SMTP_URL;

  const cli = async (...args) => {
    try {
      const { stdout } = await run(binary(), args, { env, cwd: dir });
      return stdout;
    } catch (error) {
      throw new Error(`televent ${args.join(' ')} failed (${error.code}): ${error.stderr || error.message}`);
    }
  };

  await cli('migrate');
  const child = spawn(binary(), ['serve', '--listen', '127.0.0.1:0', '--no-worker', '--no-bot'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (process.env.TELEVENT_SERVER_LOG) process.stderr.write(chunk);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const firstLine = await Promise.race([
    new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
    exited.then(({ code, signal }) => {
      throw new Error(`televent serve exited (${code ?? signal}) before listening:\n${stderr}`);
    }),
  ]);
  const match = /(https?:\/\/127\.0\.0\.1:\d+)/.exec(firstLine);
  if (!match) {
    child.kill('SIGTERM');
    throw new Error(`televent serve printed no loopback URL: ${firstLine}`);
  }
  const base = match[1];
  await waitForHealth(base, exited);

  return {
    base,
    dir,
    cli,
    /** `televent user add NAME [--telegram-id ID] [--timezone ZONE]`. */
    async addUser(name, { telegramId, timeZone = 'Europe/Berlin' } = {}) {
      const args = ['user', 'add', name, '--timezone', timeZone];
      if (telegramId !== undefined) args.push('--telegram-id', String(telegramId));
      await cli(...args);
    },
    /** A device password: the last line of `televent device add`. */
    async addDevice(name, label = 'browser-test') {
      const out = await cli('device', 'add', name, '--label', label);
      return out.trim().split('\n').pop().trim();
    },
    /** A plain HTTP request with Basic auth (as a script or a CalDAV app would send it). */
    async basic(method, urlPath, { user, password, body, headers = {} } = {}) {
      const init = {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, ...headers },
      };
      if (body !== undefined) {
        init.headers['Content-Type'] = init.headers['Content-Type'] || 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const response = await fetch(`${base}${urlPath}`, init);
      const text = await response.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const result = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), 10_000).unref())]);
        if (!result) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(base, exited) {
  let done = false;
  exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + 15_000;
  let last = null;
  while (Date.now() < deadline && !done) {
    try {
      const response = await fetch(`${base}/health`);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error.message;
    }
    // Readiness poll of a process we just started, not a wait for page timing.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${base}/health did not answer 200: ${last}`);
}
