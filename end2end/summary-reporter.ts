// Prints the plain "N passed, N failed" line that CI reads (Playwright's own is not read).
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestEnd(_test: TestCase, result: TestResult) {
    if (result.status === 'passed') this.passed++;
    else if (result.status === 'skipped') this.skipped++;
    else this.failed++;
  }

  // An error outside any test (the global teardown finding the server's log unclean).
  onError() {
    this.failed++;
  }

  onEnd() {
    console.log(`end2end: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
  }
}
