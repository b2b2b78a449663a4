// Prints CI's closing line, `tests: N passed, N failed, N skipped`, from vitest's JSON report.
// A test file that failed to load (no assertions, status failed) counts as one failure.
import { readFileSync } from 'node:fs';

/**
 * The count line goes to stderr and then to stdout: whether a reader merges the two streams or appends
 * one to the other, the last line it sees is the count.
 */
function finish(line) {
  process.stderr.write(`${line}\n`);
  process.stdout.write(`${line}\n`);
}

const path = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`ci: no readable vitest report at ${path}: ${error.message}`);
  finish('tests: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
finish(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
