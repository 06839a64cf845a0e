import { rule, type LineRule } from './rule.js';

/** pytest, unittest/nose, tracebacks, mypy, flake8/ruff/pylint, pip/conda/poetry. */
export const pythonRules: LineRule[] = [
  rule('pytest.section-failures', 'pytest', 'boundary', 1, /^=+ (?:FAILURES|ERRORS) =+$/, ['=================================== FAILURES ==================================='], { arms: 20000 }),
  rule('pytest.test-header', 'pytest', 'header', 5, /^_{3,} (?:ERROR (?:collecting|at setup of|at teardown of) )?\S.* _{3,}$/, ['_________________________________ test_readme __________________________________', '_________ ERROR collecting pandas/tests/a.py _________'],
    { category: 'test_assertion', armedOnly: true, section: { maxLines: 150, blankLines: 4, end: /^_{3,} \S.* _{3,}$|^=+ .+ =+$|^-+ Captured (?:stdout|stderr|log) (?:call|setup|teardown) -+$/ } }),
  rule('pytest.E', 'pytest', 'detail', 5, /^E {1,}\S/, ['E       AssertionError: Missing rule "shoaib" in README.md', 'E   DeprecationWarning: x'], { category: 'test_assertion', armedOnly: true }),
  rule('pytest.location', 'pytest', 'context', 3, /^\S+\.py:\d+: (?:in \S+|\w*(?:Error|Exception|Warning|Exit|Failed)\b)/, ['tests/test_readme.py:11: AssertionError', 'pandas/tests/a.py:11: in <module>'], { category: 'test_assertion', continuation: true }),
  rule('pytest.short-failed', 'pytest', 'detail', 3, /^(?:FAILED|ERROR) \S+(?:::\S+|\.py)(?: - .*)?$/, ['FAILED tests/test_a.py::test_b - AssertionError: x', 'ERROR pandas/tests/util/test_assert_almost_equal.py - DeprecationWarning: x'], { category: 'test_assertion' }),
  rule('pytest.short-summary', 'pytest', 'boundary', 1, /^=+ short test summary info =+$/, ['=========================== short test summary info ============================']),
  rule('pytest.result', 'pytest', 'summary', 1, /^=+ .*\b\d+ (?:failed|errors?)\b.* in [\d.]+s.*=+$/, ['= 45 failed, 162298 passed, 52 errors in 759.43s (0:12:39) ='], { category: 'test_assertion' }),
  rule('pytest.passed-line', 'pytest', 'pass', -1, /\sPASSED(?: +\[ *\d+%\])?$|^\S+::\S+ PASSED/, ['tests/specific/test_sudo.py::test_sudo_support[False-ls-ls-False] PASSED [100%]']),

  rule('unittest.header', 'python', 'header', 5, /^(?:FAIL|ERROR): \S+(?: \(\S+\))?$/, ['FAIL: tests.openface_batch_represent_tests.test_batch_represent', 'ERROR: test_x (pkg.tests.TestY)'],
    { category: 'test_assertion', section: { maxLines: 120, blankLines: 3, end: /^={20,}$|^-{20,}\nRan \d+ tests?/ } }),
  rule('unittest.result', 'python', 'summary', 1, /^FAILED \((?:failures|errors)=\d+/, ['FAILED (failures=2, errors=1)'], { category: 'test_assertion' }),
  rule('unittest.ok-line', 'python', 'pass', -1, /\.\.\. ok$/, ['test_foo (tests.TestFoo) ... ok']),
  rule('unittest.fail-line', 'python', 'detail', 2, /\.\.\. (?:FAIL|ERROR)$/, ['tests.openface_neural_net_training_tests.test_dnn_training ... FAIL'], { category: 'test_assertion' }),

  rule('python.traceback', 'python', 'header', 4, /^\s*Traceback \(most recent call last\):$/, ['Traceback (most recent call last):'],
    { section: { maxLines: 150, blankLines: 1, end: /^\S.*(?:Error|Exception|Exit|Interrupt|Warning)\b.*$/ } }),
  rule('python.frame', 'python', 'context', 1, /^\s+File "[^"]+", line \d+/, ['  File "/usr/lib/python3/x.py", line 197, in runTest'], { continuation: true }),

  rule('mypy.error', 'mypy', 'header', 6, /^\S+\.pyi?:\d+(?::\d+)?: error: .*(?:\[[a-z-]+\])?$/, ['pandas/compat/pyarrow.py:69: error: Call to untyped function "fill_null" in typed context  [no-untyped-call]'], { category: 'type_error' }),
  rule('mypy.found', 'mypy', 'summary', 2, /^Found \d+ errors? in \d+ files? \(checked \d+ source files?\)/, ['Found 279 errors in 9 files (checked 1458 source files)'], { category: 'type_error' }),
  rule('pyright.error', 'mypy', 'header', 5, /^\s+\S+\.pyi?:\d+:\d+ - error: /, ['  /app/a.py:3:5 - error: "x" is not defined (reportUndefinedVariable)'], { category: 'type_error' }),
  rule('flake8.code', 'pylint', 'detail', 5, /^\S+\.pyi?:\d+:\d+: (?:[EFWC]\d{3}|[A-Z]{1,3}\d{3,4}) \S/, ['app/x.py:3:1: F401 \'os\' imported but unused', 'a.py:10:80: E501 line too long (88 > 79 characters)'], { category: 'lint_error' }),
  rule('pylint.msg', 'pylint', 'detail', 4, /^\S+\.py:\d+:\d+: [CRWEF]\d{4}: /, ['pkg/mod.py:12:0: C0114: Missing module docstring (missing-module-docstring)'], { category: 'lint_error' }),
  rule('black.check', 'pylint', 'header', 5, /^would reformat \S+|^Oh no! 💥 💔 💥|\d+ files? would be reformatted/, ['would reformat src/app.py', 'Oh no! 💥 💔 💥'], { category: 'lint_error' }),
  rule('isort.check', 'pylint', 'detail', 4, /^ERROR: \S+\.py Imports are incorrectly sorted/, ['ERROR: /app/a.py Imports are incorrectly sorted and/or formatted.'], { category: 'lint_error' }),
  rule('precommit.failed', 'pylint', 'header', 3, /^\S.*\.{3,}\s*Failed$/, ['mypy (stubtest)..........................................................Failed', 'flake8...................................................................Failed']),

  rule('pip.no-version', 'pip', 'header', 6, /Could not find a version that satisfies the requirement|No matching distribution found for|ResolutionImpossible|Cannot install .* because these package versions have conflicting dependencies/,
    ['ERROR: Could not find a version that satisfies the requirement foo==9.9 (from versions: none)', 'ERROR: No matching distribution found for foo==9.9'], { category: 'dependency_install' }),
  rule('pip.build-failed', 'pip', 'detail', 4, /Failed building wheel for|Could not build wheels for|error: subprocess-exited-with-error|metadata-generation-failed|Failed to build \S+$/,
    ['ERROR: Failed building wheel for lxml', 'error: subprocess-exited-with-error'], { category: 'dependency_install' }),
  rule('pip.install-oserror', 'pip', 'detail', 5, /ERROR: Could not install packages due to an (?:OSError|EnvironmentError)(?!.*(?:Max retries|Connection|[Tt]imed? ?out|NewConnectionError|ProxyError|SSLError|RemoteDisconnected))/, ["ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '/usr/lib/python3/dist-packages/x'"], { category: 'dependency_install' }),
  rule('conda.notfound', 'pip', 'header', 6, /PackagesNotFoundError: |UnsatisfiableError: |ResolvePackageNotFound:|CondaHTTPError: /, ['PackagesNotFoundError: The following packages are not available from current channels:'], { category: 'dependency_install' }),
  rule('poetry.lock', 'pip', 'detail', 5, /poetry\.lock is not consistent|pyproject\.toml changed significantly since poetry\.lock|SolverProblemError|Because .* depends on .* version solving failed/, ['Because app depends on foo (^9.0) which doesn\'t match any versions, version solving failed.'], { category: 'dependency_install' }),
  rule('python.exception', 'python', 'detail', 4, /^(?:[a-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt)(?::\s.*|\s*)$/, ["ModuleNotFoundError: No module named 'cv2'", 'AssertionError: ', 'requests.exceptions.ConnectionError: HTTPSConnectionPool']),
  rule('python.import', 'python', 'detail', 5, /^(?:ImportError|ModuleNotFoundError): (?:No module named|cannot import name)/, ["ImportError: No module named 'cv2'"], { category: 'dependency_install' }),
];
