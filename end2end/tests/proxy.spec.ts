import { test, expect, clientAddress } from './fixtures';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

// Only in the proxy suite (three servers behind nginx, COUNTERPOINT_E2E_SERVERS=3).

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a server killed under load loses no acknowledged rating, and the proxy sends the rest to the others', async ({ baseURL }) => {
  const pids = process.env.SERVER_PIDS!.split(',').map(Number);
  expect(pids).toHaveLength(3);
  const marker = `proxy-${randomBytes(6).toString('hex')}`;
  const stored = () =>
    Number(execFileSync('psql', [process.env.DATABASE_URL!, '-qtAc', `SELECT COUNT(*) FROM ratings WHERE comment = '${marker}'`]).toString().trim());
  const post = async () => {
    // Each post from an address of its own: this is load, not one client's flood.
    const response = await fetch(`${baseURL}/c/A02`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientAddress() },
      body: `level=4&comment=${marker}`,
      redirect: 'manual',
    });
    return response.status;
  };
  let acknowledged = 0;
  let other = 0;
  let stop = false;
  const workers = Array.from({ length: 8 }, async () => {
    while (!stop) {
      if ((await post()) === 303) acknowledged++;
      else other++;
    }
  });
  await sleep(1000);
  process.kill(pids[2], 'SIGKILL');
  await sleep(1500);
  stop = true;
  await Promise.all(workers);
  expect(acknowledged).toBeGreaterThan(50);
  // Every acknowledged rating is stored; a post cut off by the kill may be stored unacknowledged.
  const count = stored();
  expect(count).toBeGreaterThanOrEqual(acknowledged);
  expect(count).toBeLessThanOrEqual(acknowledged + other);
  // The proxy now sends every request to the two servers left.
  for (let i = 0; i < 30; i++) expect(await post()).toBe(303);
});

test('nginx serves the compiled site itself, compressed, and passes pages to the servers', async ({ baseURL }) => {
  const wasm = await fetch(`${baseURL}/pkg/counterpoint.wasm`, { headers: { 'accept-encoding': 'gzip' } });
  expect(wasm.status).toBe(200);
  expect(wasm.headers.get('content-encoding')).toBe('gzip');
  expect(wasm.headers.get('cache-control')).toContain('immutable');
  // The app's own answers carry its frame rule; nginx's static files do not.
  expect(wasm.headers.get('x-frame-options')).toBeNull();
  const page = await fetch(`${baseURL}/c/A01`, { headers: { 'accept-encoding': 'gzip' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('x-frame-options')).toBe('DENY');
});

test('a flood from one address through the proxy is refused as one server would refuse it', async ({ baseURL }) => {
  // The suite's budget is a burst of 5 per address: one server takes 5 of 60 and refuses
  // 55 (92%); three servers behind round robin share that budget between them.
  const flooder = clientAddress();
  let refused = 0;
  for (let i = 0; i < 60; i++) {
    const response = await fetch(`${baseURL}/c/A03`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': flooder },
      body: 'level=3',
      redirect: 'manual',
    });
    expect([303, 429]).toContain(response.status);
    if (response.status === 429) {
      refused++;
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  }
  expect(Math.abs(refused / 60 - 55 / 60)).toBeLessThanOrEqual(0.1);
});
