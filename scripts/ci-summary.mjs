// Adds up vitest JSON reports into the one closing line CI reads: "N passed, N failed".
// Each argument is a report file, or `label=file` to name the run in the per-report lines
// (e.g. "SQLite, Node 24.22.3=.tmp/vitest-node24.json").
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of process.argv.slice(2)) {
  const eq = arg.indexOf('=');
  const [label, file] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, arg];
  if (!existsSync(file)) {
    console.error(`${label}: missing test report ${file}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const pending = report.numPendingTests + (report.numTodoTests ?? 0);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += pending;
  // a run that failed outside the tests (global setup, a file that does not load) counts once
  const broken = report.success === false && report.numFailedTests === 0 ? 1 : 0;
  failed += broken;
  const ends = (report.testResults ?? []).map((r) => r.endTime).filter(Number.isFinite);
  const seconds = ends.length ? `, ${Math.round((Math.max(...ends) - report.startTime) / 1000)} s` : '';
  console.log(
    `${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${pending ? `, ${pending} skipped` : ''} ` +
      `(${report.testResults?.length ?? 0} files${seconds})${broken ? ' - the run itself FAILED' : ''}`,
  );
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
