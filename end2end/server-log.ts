// What in the server's log fails a run: a panic, or an answer of 500 or more (the server logs
// each one, with its method and path). A test that provokes a 5xx on purpose says so with
// the annotation `expected-server-error`, and its window of the log is then not held against it.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export function problemsIn(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /panicked at|answered with a server error|broke off/.test(line));
}

/** The log's size now: where the next test's part of it begins. */
export function logSize(logPath: string): number {
  return statSync(logPath).size;
}

/** What the log gained since `from`. */
export function logSince(logPath: string, from: number): string {
  const size = statSync(logPath).size;
  if (size <= from) return '';
  const buffer = Buffer.alloc(size - from);
  const fd = openSync(logPath, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
