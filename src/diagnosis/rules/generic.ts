import { rule, type LineRule } from './rule.js';

/**
 * Catch-all rules, tried after every ecosystem rule: the general fallback
 * that still finds "error:" lines, exception names and failure words in logs
 * of tools nobody wrote a rule for.
 */
export const genericRules: LineRule[] = [
  rule('generic.zero-errors', 'generic', 'pass', -1, /\b0 (?:errors?|failures?|failed|problems?)\b|\b(?:errors?|failures?|failed|problems?):? 0\b|\bno (?:errors?|failures?|problems?|offenses?) (?:found|detected)\b|\ball (?:\d+ )?tests? passed\b/i,
    ['Compiled with 0 errors', 'Failures: 0, Errors: 0', 'No errors found', 'All tests passed'], { unless: /\b[1-9]\d* (?:errors?|failures?|failed|failing|problems?)\b|\b(?:errors?|failures?|failed|problems?):? [1-9]/i }),
  rule('generic.pass-mark', 'generic', 'pass', -1, /^\s*(?:✓|✔|√|\[ OK \]|\[PASS\]|PASS:|PASSED\b|ok \d+ )/, ['  ✓ adds numbers (3 ms)', 'ok 1 - should be equal']),
  rule('generic.fail-mark', 'generic', 'detail', 3, /^\s*(?:✗|✘|×|✖|❌|FAIL:|FAILED:|\[FAIL(?:ED)?\]|not ok \d+)\s*\S/, ['  ✗ adds numbers', '❌ examples/with-jest/__tests__/index.test.tsx output:']),
  rule('generic.error-prefix', 'generic', 'detail', 4, /^\s*(?:\[(?:error|ERROR|Error|fatal|FATAL|E)\]|(?:error|ERROR|Error|fatal|FATAL|Fatal|FAILURE|Failure|FAILED|Failed)(?:\[[\w-]+\])?(?::|!| -)(?=\s|$))/,
    ['error: could not lock config file', 'ERROR: no certificate subject alternative name matches', 'Error: One or more errors occurred.', 'FAILED: ./test.sh']),
  rule('generic.exception-name', 'generic', 'detail', 3, /\b[A-Z][A-Za-z0-9]*(?:Error|Exception|Failure)\b(?::\s|$)/, ['  AssertionError: Property type: expected e to equal NullLiteral', 'Uncaught TypeError: x is not a function']),
  rule('generic.exit-status', 'generic', 'summary', 1, /\b(?:exit(?:ed)?(?: with)?(?: status| code)?|returned(?: status)?(?: code)?)[: ]+[1-9]\d*\b|\bexit status [1-9]\d*$/i, ['util.go:45: exit status 1', 'Script exited with code 2']),
  rule('generic.error-word', 'generic', 'detail', 2, /(?<![\w./\\-])(?:errors?|ERRORS?|Errors?|fatal|FATAL|panic|PANIC|Traceback|aborted|ABORTED|abort|denied|refused|forbidden|unauthorized|segmentation fault|core dumped|violation)(?![\w/\\-])/,
    ['An error occured while installing Cake.', 'make: *** [test] aborted']),
  rule('generic.fail-word', 'generic', 'detail', 2, /(?<![\w./\\-])(?:fail|fails|failed|failing|failure|failures|FAIL|FAILS|FAILED|FAILURE|FAILURES|Fail|Failed|Failure|Failures)(?![\w/\\-])/,
    ['The build failed before tests ran', '1 test FAILED']),
  rule('generic.problem-phrase', 'generic', 'detail', 1, /\b(?:cannot|can't|could not|couldn't|unable to|not found|no such file|not defined|is undefined|unexpected|invalid|missing|does not exist|doesn't exist|not exist|mismatch|incompatible|unresolved|unsupported|illegal|conflict(?:s|ing)?|not allowed|not supported|timed out|time ?out)\b/i,
    ['flag provided but not defined: -trace2_event_file', 'cannot open shared object file']),
  rule('generic.file-location', 'generic', 'detail', 1, /^\S+\.[A-Za-z]\w{0,5}:\d+(?::\d+)?:\s*\S/, ['README.md:2186:Line longer than 80 characters.'], { armedOnly: true }),
];

/** Lines tagged with a quiet log level rarely explain a failure even when they say "error". */
export const QUIET_LEVEL = /^\W{0,3}(?:[\d:.TZ-]+\s+){0,2}(?:\[\s*)?(?:INFO|DEBUG|TRACE|VERBOSE|info|debug|trace|I|D)(?:\s*\])?[\s:]|^\s*\[(?:info|debug)\]\s|\blevel=(?:debug|info|trace)\b/;
/** Warnings are noticed, but rarely the cause. */
export const WARNING_LEVEL = /^\W{0,3}(?:\[\s*)?(?:warning|WARNING|Warning|WARN|warn)(?:\s*\])?(?:[\s:]|$)/;
/** Shell traces and echoed commands: their error words are arguments. */
export const ECHOED_COMMAND = /^(?:\++(?: |(?=[A-Za-z_]))|\$ |> |Running: |\[command\]|Run )/;
