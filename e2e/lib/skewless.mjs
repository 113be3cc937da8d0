// Drives the real `./skewless` launcher: `dev` as a long-running process, the CLI verbs as
// one-shot processes against the same embedded store, exactly as a person in two terminals would.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = join(repoRoot, 'e2e', 'target', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const launcher = join(repoRoot, 'skewless');

/** A free loopback port (closed again before use; good enough on a test machine). */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function eventually(what, probe, timeoutMs = 60_000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** Every live descendant pid of `pid`, from /proc (children of children too). */
export function descendants(pid) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  const frontier = [pid];
  while (frontier.length) {
    const p = frontier.pop();
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return !existsSync(`/proc/${pid}/stat`) ? false : !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** `./skewless dev` as a child process with its own state directory. */
export class DevProcess {
  constructor({ stateDir, port, logName = 'dev.log' }) {
    this.stateDir = stateDir;
    this.port = port;
    this.logPath = join(artifacts, logName);
    this.output = '';
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const log = createWriteStream(this.logPath, { flags: 'a' });
    this.child = spawn(launcher, ['dev', '--port', String(this.port), '--state-dir', this.stateDir], {
      cwd: repoRoot,
      env: { ...process.env, SKEWLESS_LOG_FORMAT: 'text' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((ok) => this.child.once('exit', (code, signal) => ok({ code, signal })));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream.on('data', (chunk) => {
        this.output += chunk;
        log.write(chunk);
      });
    }
    await eventually(`./skewless dev to serve ${this.baseUrl} (see ${this.logPath})`, async () => {
      if (this.child.exitCode !== null) throw new Error(`./skewless dev exited with ${this.child.exitCode}:\n${this.output}`);
      const res = await fetch(`${this.baseUrl}/_skewless/api/v1/apps`);
      return res.ok;
    }, 180_000, 500);
  }

  /** The launcher execs the JVM, so the child's pid is the controller's. */
  get pid() {
    return this.child.pid;
  }

  async stop(signal = 'SIGTERM') {
    const before = descendants(this.pid);
    this.child.kill(signal);
    const result = await Promise.race([this.exited, sleep(60_000).then(() => null)]);
    if (result === null) throw new Error(`./skewless dev did not exit within 60 s of ${signal}`);
    return { result, before };
  }
}

/** One CLI verb against the dev store; returns exit code and output. */
export function cli(stateDir, ...args) {
  const run = spawnSync(launcher, args, {
    cwd: repoRoot,
    env: { ...process.env, SKEWLESS_STORE: `embedded:${join(stateDir, 'store')}` },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Like `cli`, but fails with the whole output on a non-zero exit. */
export function cliOk(stateDir, ...args) {
  const r = cli(stateDir, ...args);
  if (r.code !== 0) {
    throw new Error(`./skewless ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

export async function json(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}
