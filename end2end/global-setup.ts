// Starts the release server on a free port with a fresh SQLite database holding the demo and
// two months of made-up ratings and complaints (so statistics, charts and downloads have numbers), waits
// until it answers, and hands its address and its log to the tests (BASE_URL, SERVER_LOG).
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { problemsIn } from './server-log';

const root = path.resolve(__dirname, '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'counterpoint-e2e-'));
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  const binary = process.env.COUNTERPOINT_SERVER_BIN ?? path.join(targetDir, 'release', 'server');
  const logPath = path.join(dataDir, 'server.log');
  const env = {
    ...process.env,
    COUNTERPOINT_BIND: '127.0.0.1:0',
    DATABASE_URL: `sqlite://${path.join(dataDir, 'e2e.db')}`,
    COUNTERPOINT_PHOTO_DIR: path.join(dataDir, 'photos'),
    COUNTERPOINT_EXPORT_DIR: path.join(dataDir, 'exports'),
    COUNTERPOINT_MAIL_OUTBOX_DIR: path.join(dataDir, 'mail'),
    LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site'),
    // Each test poses as its own client behind this trusted proxy (see fixtures.ts),
    // so one test's posts never use up another's rate limit.
    COUNTERPOINT_TRUSTED_PROXIES: '127.0.0.1',
    // One post a minute after a burst of 5: slow enough that no test refills its bucket while it runs.
    COUNTERPOINT_RATE_LIMIT_PER_MINUTE: '1',
    COUNTERPOINT_RATE_LIMIT_BURST: '5',
    RUST_LOG: 'warn',
  };

  // A few complaints too, handled and closed in the past (the charts show categories).
  const history = spawnSync(binary, ['generate-data', '--ratings', '3000', '--counters', '15', '--complaints', '60', '--days', '62'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (history.status !== 0) throw new Error(`generate-data failed: ${history.stderr}`);

  // Everything the server prints goes to its log, which the tests read after each test.
  const log = createWriteStream(logPath);
  const server: ChildProcess = spawn(binary, [], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr!.pipe(log);

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not print its address within 60 s')), 60_000);
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });

  // Ready, as a load balancer would wait: start-up work done and the database answering.
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${baseUrl}/readyz`).catch(() => null);
    if (response?.ok) break;
    if (attempt > 300) throw new Error('server never became ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.BASE_URL = baseUrl;
  process.env.SERVER_LOG = logPath;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await new Promise((r) => log.end(r));
    // Each test already failed on what it caused; this catches the rest (shutdown included).
    const problems = problemsIn(readFileSync(logPath, 'utf8'));
    rmSync(dataDir, { recursive: true, force: true });
    if (problems.length > 0) throw new Error(`the server logged:\n${problems.join('\n')}`);
  };
}
