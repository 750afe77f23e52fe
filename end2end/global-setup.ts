// Starts the release server on a free port with a fresh SQLite database holding the demo and
// two months of made-up ratings and complaints (so statistics, charts and downloads have numbers), waits
// until it answers, and hands its address and its log to the tests (BASE_URL, SERVER_LOG).
//
// With COUNTERPOINT_E2E_SERVERS=3 (the proxy suite): three servers over one fresh PostgreSQL
// database behind Debian's nginx (scripts/proxy), which serves the static files and
// compresses; BASE_URL is nginx's, and SERVER_PIDS lists the servers (a test kills one).
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { problemsIn } from './server-log';

const root = path.resolve(__dirname, '..');

/** Starts a program that prints "listening on http://ADDR", its output going to `log`. */
function listening(program: string, args: string[], env: NodeJS.ProcessEnv, log: WriteStream): Promise<[ChildProcess, string]> {
  const child = spawn(program, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.pipe(log, { end: false });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${program} did not print its address within 60 s`)), 60_000);
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve([child, match[1]]);
      }
    });
    child.on('exit', (code) => reject(new Error(`${program} exited early with ${code}`)));
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'counterpoint-e2e-'));
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  const binary = process.env.COUNTERPOINT_SERVER_BIN ?? path.join(targetDir, 'release', 'server');
  const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site');
  const servers = Number(process.env.COUNTERPOINT_E2E_SERVERS ?? '1');
  const logPath = path.join(dataDir, 'server.log');
  const pgAdmin = process.env.COUNTERPOINT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pgDatabase = `cp_e2e_${randomBytes(6).toString('hex')}`;
  if (servers > 1) {
    const created = spawnSync('psql', [pgAdmin, '-qc', `CREATE DATABASE ${pgDatabase}`], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`could not create the test database: ${created.stderr}`);
  }
  const databaseUrl =
    servers > 1 ? `${pgAdmin.slice(0, pgAdmin.lastIndexOf('/'))}/${pgDatabase}` : `sqlite://${path.join(dataDir, 'e2e.db')}`;
  const env = {
    ...process.env,
    COUNTERPOINT_BIND: '127.0.0.1:0',
    DATABASE_URL: databaseUrl,
    COUNTERPOINT_PHOTO_DIR: path.join(dataDir, 'photos'),
    COUNTERPOINT_EXPORT_DIR: path.join(dataDir, 'exports'),
    COUNTERPOINT_MAIL_OUTBOX_DIR: path.join(dataDir, 'mail'),
    LEPTOS_SITE_ROOT: siteRoot,
    // Each test poses as its own client behind this trusted proxy (see fixtures.ts),
    // so one test's posts never use up another's rate limit.
    COUNTERPOINT_TRUSTED_PROXIES: '127.0.0.1',
    // One post a minute after a burst of 5: slow enough that no test refills its bucket while it runs.
    // Behind the proxy each server keeps a third of a client's budget, and round robin among
    // every test's requests need not spread one client's posts evenly: a burst three times
    // as large there (the rate-limit test itself runs against one server).
    COUNTERPOINT_RATE_LIMIT_PER_MINUTE: '1',
    COUNTERPOINT_RATE_LIMIT_BURST: servers > 1 ? '15' : '5',
    // Chromium fetches a clicked download itself, without the test's client address: every
    // test's downloads share one budget here (its limit has an HTTP test of its own).
    COUNTERPOINT_DOWNLOADS_PER_MINUTE: '10000',
    COUNTERPOINT_DOWNLOADS_BURST: '10000',
    // A test machine's disk may be nearly full: photos are refused only below 1 MB free here
    // (the floor has tests of its own).
    COUNTERPOINT_PHOTO_FREE_FLOOR_MB: '1',
    RUST_LOG: 'warn',
  };

  // A few complaints too, handled and closed in the past (the charts show categories).
  const history = spawnSync(binary, ['generate-data', '--ratings', '3000', '--counters', '15', '--complaints', '60', '--days', '62'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (history.status !== 0) throw new Error(`generate-data failed: ${history.stderr}`);

  // Everything the servers print goes to one log, which the tests read after each test.
  const log = createWriteStream(logPath);
  const started: [ChildProcess, string][] = [];
  for (let i = 0; i < servers; i++) started.push(await listening(binary, [], env, log));
  const children = started.map(([child]) => child);
  let baseUrl = started[0][1];
  if (servers > 1) {
    const addresses = started.map(([, url]) => url.replace('http://', ''));
    const [proxy, url] = await listening(path.join(root, 'scripts', 'proxy'), [siteRoot, dataDir, ...addresses], env, log);
    children.push(proxy);
    baseUrl = url;
  }

  // Ready, as a load balancer would wait: start-up work done and the database answering.
  for (const [, url] of started) {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${url}/readyz`).catch(() => null);
      if (response?.ok) break;
      if (attempt > 300) throw new Error('server never became ready');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  process.env.BASE_URL = baseUrl;
  process.env.SERVER_LOG = logPath;
  process.env.SERVER_PIDS = started.map(([child]) => child.pid).join(',');
  process.env.DATABASE_URL = databaseUrl;

  return async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    await new Promise((r) => log.end(r));
    // Each test already failed on what it caused; this catches the rest (shutdown included).
    const problems = problemsIn(readFileSync(logPath, 'utf8'));
    rmSync(dataDir, { recursive: true, force: true });
    if (servers > 1) spawnSync('psql', [pgAdmin, '-qc', `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`]);
    if (problems.length > 0) throw new Error(`the server logged:\n${problems.join('\n')}`);
  };
}
