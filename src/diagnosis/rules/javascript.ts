import { rule, type LineRule } from './rule.js';

/** npm / yarn / pnpm, jest, vitest, mocha, tsc, eslint, prettier and Node itself. */
export const javascriptRules: LineRule[] = [
  // npm boilerplate first: it contains "ERR!" but says nothing.
  rule('npm.err-boilerplate', 'npm', 'noise', -1,
    /^npm (?:ERR!|error) (?:(?:Test failed|A complete log|Please include|This is probably not a problem|There is likely additional logging|Exit status|Failed at the|code ELIFECYCLE|errno \d+|Linux |argv |node v|npm {2}v|cwd |\s+\/|not ok|Tell the author|You can get (?:information|their info)|Make sure you have|Additional logging|\s*$|Command failed|path |command |Lifecycle script)|\S.*(?:debug-0\.log|-debug\.log)$)|^(?:npm (?:ERR!|error)|ERR!) *$/,
    ['npm ERR! Test failed.  See above for more details.', 'npm ERR! A complete log of this run can be found in:', 'npm ERR! code ELIFECYCLE', 'npm ERR! errno 1']),
  rule('npm.warn', 'npm', 'noise', -1, /^npm (?:WARN|warn) /, ['npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.']),
  rule('yarn.boilerplate', 'npm', 'noise', -1,
    /^(?:info Visit https:\/\/yarnpkg\.com|error Command failed with exit code \d+\.?$|\[ELIFECYCLE\] Command failed|ELIFECYCLE\s+Command failed|\s*ELIFECYCLE\s+Test failed)/,
    ['info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.', 'error Command failed with exit code 1.']),
  rule('npm.code', 'npm', 'detail', 4, /^npm (?:ERR!|error) (?:code|errno) (E(?:RESOLVE|404|NOTFOUND|TIMEDOUT|CONNRESET|CONNREFUSED|AI_AGAIN|INTEGRITY|NOTARGET|BADENGINE|UNSUPPORTEDPROTOCOL|PEERINVALID|JSONPARSE|ACCES|PERM))/,
    ['npm ERR! code ERESOLVE', 'npm error code E404'], { category: 'dependency_install' }),
  rule('npm.resolve', 'npm', 'detail', 4, /^npm (?:ERR!|error) (?:ERESOLVE|404 |notarget |peer dep|Could not resolve dependency|Conflicting peer dependency|While resolving|Found: |Fix the upstream dependency conflict|missing script:)/,
    ['npm ERR! ERESOLVE unable to resolve dependency tree', 'npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd', 'npm ERR! missing script: test'], { category: 'dependency_install' }),
  rule('npm.ci-lock', 'npm', 'header', 5, /`npm ci` can only install packages when your package\.json and package-lock\.json|npm-shrinkwrap\.json are in sync|lockfile (?:needs to be updated|is out of date)|ERR_PNPM_OUTDATED_LOCKFILE|Your lockfile needs to be updated/,
    ['npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync.', ' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile"'], { category: 'dependency_install' }),
  rule('pnpm.err', 'npm', 'detail', 3, /\bERR_PNPM_(?!RECURSIVE_RUN_FIRST_FAIL)[A-Z_]+/, [' ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/x: Not Found - 404'], { category: 'dependency_install' }),
  rule('pnpm.recursive', 'npm', 'summary', 1, /ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|ERR_PNPM_RECURSIVE_EXEC_FIRST_FAIL/, ['[ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL] pnpm@11.0.6 .test: `jest`']),
  rule('yarn.error', 'npm', 'detail', 3, /^error (?:An unexpected error occurred|Couldn't find (?:package|any versions)|Package ".*" refers to a non-existing file|.*: Not found|Your lockfile needs)/,
    ['error An unexpected error occurred: "https://registry.yarnpkg.com/x: ETIMEDOUT".', 'error Couldn\'t find package "foo@^1.0.0" required by "bar" on the "npm" registry.'], { category: 'dependency_install' }),
  rule('node.module-missing', 'node', 'detail', 5, /(?:Error: )?Cannot find module '[^']+'|ERR_MODULE_NOT_FOUND|Module not found: Error: Can't resolve/,
    ["Error: Cannot find module 'left-pad'", "Module not found: Error: Can't resolve './foo' in '/app/src'"], { category: 'compile_error' }),

  // jest
  rule('jest.bullet', 'jest', 'header', 5, /^\s*● (?!Console\b)\S.*/, ['  ● Button › renders the label', '● pnpm config get reads npm options'],
    { category: 'test_assertion', section: { maxLines: 120, blankLines: 3, end: /^\s*● |^(?:PASS|FAIL) \S|^Test Suites: |^Summary of all failing tests/ }, leadIn: /^\s*FAIL\s+\S+\.(?:[cm]?[jt]sx?|coffee)\b/ }),
  rule('jest.fail-file', 'jest', 'header', 3, /^\s*FAIL\s+\S+\.(?:[cm]?[jt]sx?|coffee)\b/, ['FAIL src/app.test.ts (5.2 s)', 'FAIL test/config/get.ts (17.807 s)'], { category: 'test_assertion' }),
  rule('jest.pass-file', 'jest', 'pass', -1, /^\s*PASS\s+\S+\.(?:[cm]?[jt]sx?|coffee)\b/, ['PASS src/app.test.ts']),
  rule('jest.snapshot', 'jest', 'detail', 5, /\bsnapshots? (?:failed|obsolete)|Snapshot (?:name: |Summary)|toMatch(?:Inline)?Snapshot|Received value does not match stored snapshot|› \d+ snapshots? failed|obsolete snapshot/i,
    ['  › 1 snapshot failed.', 'Snapshot Summary', 'expect(received).toMatchSnapshot()'], { category: 'snapshot_diff' }),
  rule('jest.expect', 'jest', 'context', 2, /^\s*(?:expect\(.*\)\.\w+|Expected(?: value| length| substring| pattern| object| constructor)?:|Received(?: value| length| string| object| constructor| array)?:|[-+] (?:Expected|Received)\b|- Snapshot|\+ Received|Number of calls:)/,
    ['    expect(received).toBe(expected) // Object.is equality', '    Expected: "a"', '    Received: "b"', '- Expected  - 1'], { category: 'test_assertion', continuation: true }),
  rule('jest.summary', 'jest', 'summary', 1, /^(?:Test Suites|Tests):\s+\d+ failed/, ['Test Suites: 1 failed, 61 passed, 62 total', 'Tests:       1 failed, 475 passed, 485 total'], { category: 'test_assertion' }),
  rule('jest.no-tests', 'jest', 'detail', 4, /^No tests found, exiting with code 1|Run with `--passWithNoTests`/, ['No tests found, exiting with code 1'], { category: 'test_assertion' }),

  // vitest
  rule('vitest.fail', 'vitest', 'header', 5, /^\s*(?:FAIL|×|✗|❯)\s+\S+\.(?:[cm]?[jt]sx?|vue|svelte)\s+>\s+\S/, [' FAIL  src/sum.test.ts > sum > adds', ' × src/a.test.ts > works'], { category: 'test_assertion' }),
  rule('vitest.section', 'vitest', 'header', 2, /^⎯+ Failed Tests? \d+ ⎯+$|^⎯+ Unhandled Errors? ⎯+$/, ['⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯'], { category: 'test_assertion' }),
  rule('vitest.summary', 'vitest', 'summary', 1, /^\s*Tests?\s+\d+ failed \|/, [' Tests  1 failed | 3 passed (4)'], { category: 'test_assertion' }),

  // mocha / tap / ava
  rule('mocha.numbered', 'mocha', 'header', 4, /^\s{0,4}\d+\) (?!test\b)\S.*[^:]$|^\s{0,4}\d+\) .*:$/, ['  1) Array #indexOf() should return -1:', '  2) suite hook'],
    { category: 'test_assertion', armedOnly: true, section: { maxLines: 80, blankLines: 1, end: /^\s{0,4}\d+\) \S|^\s*\d+ (?:passing|failing|pending)/ } }),
  rule('mocha.failing', 'mocha', 'summary', 1, /^\s*\d+ failing\b|^failed \d+ and passed \d+ tests/, ['  3 failing', 'failed 4 and passed 1197 tests in 6.93 seconds'], { arms: 3000 }),
  rule('mocha.timeout', 'mocha', 'detail', 5, /Error: Timeout of \d+ms exceeded/, ['Error: Timeout of 2000ms exceeded. For async tests and hooks, ensure "done()" is called'], { category: 'test_assertion' }),
  rule('tap.not-ok', 'mocha', 'detail', 3, /^\s*not ok \d+ /, ['not ok 3 - should equal'], { category: 'test_assertion', armedOnly: true }),

  // tsc
  rule('tsc.error', 'tsc', 'header', 6, /^\S.*\.(?:[cm]?tsx?|vue)(?:\(\d+,\d+\)|:\d+:\d+)(?: -)?:? error TS\d+:/, ["src/app.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.", 'src/a.ts:3:7 - error TS2304: Cannot find name \'x\'.'], { category: 'type_error' }),
  rule('tsc.bare', 'tsc', 'detail', 5, /\berror TS\d{4}:/, ["error TS5023: Unknown compiler option 'foo'."], { category: 'type_error' }),
  rule('tsc.found', 'tsc', 'summary', 1, /^Found \d+ errors?(?: in \d+ files?)?\.(?:\s|$)/, ['Found 3 errors in 2 files.'], { category: 'type_error' }),

  // eslint / stylelint / standard / prettier
  rule('eslint.problem', 'eslint', 'detail', 5, /^\s+\d+:\d+\s+(?:error|✖)\s+\S.*\s{2,}[@\w/-]+$/, ['  12:2  error  Unnecessary semicolon  no-extra-semi'], { category: 'lint_error' }),
  rule('eslint.summary', 'eslint', 'summary', 2, /^✖ \d+ problems? \(\d+ errors?/, ['✖ 3 problems (3 errors, 0 warnings)'], { category: 'lint_error' }),
  rule('eslint.compact', 'eslint', 'detail', 4, /^\S+\.[cm]?[jt]sx?: line \d+, col \d+, Error - /, ['/app/a.js: line 3, col 1, Error - Missing semicolon. (semi)'], { category: 'lint_error' }),
  rule('standard.header', 'eslint', 'header', 3, /^(?:standard|semistandard|xo): Use JavaScript Standard Style|^standard: Run `standard --fix`/, ['standard: Use JavaScript Standard Style (https://github.com/feross/standard) '], { category: 'lint_error' }),
  rule('prettier.check', 'prettier', 'header', 5, /Code style issues (?:found|were found)|Forgot to run Prettier\?|This project uses prettier to format|\[warn\] .*Code style issues/,
    ['[warn] Code style issues found in 2 files. Forgot to run Prettier?', '  This project uses prettier to format all JavaScript code.'], { category: 'lint_error', section: { maxLines: 40, blankLines: 2 } }),

  // node runtime errors: the location line, the code, the caret, then the error.
  rule('node.location', 'node', 'header', 2, /^(?:\/|[A-Za-z]:\\|\.\/)\S+\.(?:[cm]?js|[cm]?ts|jsx|tsx|coffee):\d+$/, ['/home/travis/build/x/gulp-tasks/serve.js:31'], { category: 'compile_error', armedOnly: true }),
  rule('node.syntax', 'node', 'detail', 5, /^(?:SyntaxError|ReferenceError|TypeError|RangeError): \S/, ['SyntaxError: Unexpected token )', 'TypeError: Cannot read properties of undefined (reading \'x\')'], { leadIn: /^(?:\/|[A-Za-z]:\\|\.\/)\S+\.(?:[cm]?js|[cm]?ts|jsx|tsx|coffee):\d+$/ }),
  rule('node.unhandled', 'node', 'detail', 4, /UnhandledPromiseRejection|Unhandled (?:promise )?rejection|ERR_UNHANDLED_REJECTION/, ['[UnhandledPromiseRejection: This error originated either by throwing inside of an async function]']),
  rule('node.heap', 'node', 'detail', 6, /JavaScript heap out of memory|Reached heap limit Allocation failed|FATAL ERROR: .*(?:Allocation failed|heap)/, ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'], { category: 'timeout_or_oom' }),
  rule('gulp.task', 'node', 'detail', 4, /Task never defined: |Did you forget to signal async completion|Error in plugin /, ['Task never defined: default']),
];
