// Starts the release server on a free port with a fresh SQLite database and the demo,
// waits until it answers, and hands its address to the tests through BASE_URL.
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'counterpoint-e2e-'));
  const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
  const binary = process.env.COUNTERPOINT_SERVER_BIN ?? path.join(targetDir, 'release', 'server');
  const server: ChildProcess = spawn(binary, [], {
    cwd: root,
    env: {
      ...process.env,
      COUNTERPOINT_BIND: '127.0.0.1:0',
      DATABASE_URL: `sqlite://${path.join(dataDir, 'e2e.db')}`,
      COUNTERPOINT_PHOTO_DIR: path.join(dataDir, 'photos'),
      COUNTERPOINT_EXPORT_DIR: path.join(dataDir, 'exports'),
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site'),
      // Each test poses as its own client behind this trusted proxy (see fixtures.ts),
      // so one test's posts never use up another's rate limit.
      COUNTERPOINT_TRUSTED_PROXIES: '127.0.0.1',
      // One post a minute after a burst of 5: slow enough that no test refills its bucket while it runs.
      COUNTERPOINT_RATE_LIMIT_PER_MINUTE: '1',
      COUNTERPOINT_RATE_LIMIT_BURST: '5',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not print its address within 60 s')), 60_000);
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });

  // Wait for a real answer, not just a printed line.
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${baseUrl}/healthz`).catch(() => null);
    if (response?.ok) break;
    if (attempt > 100) throw new Error('server never became healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.BASE_URL = baseUrl;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
