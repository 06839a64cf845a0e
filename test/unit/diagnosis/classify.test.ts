import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDiagnoser } from '../../../src/diagnosis/diagnose.js';
import { fromText } from '../../../src/diagnosis/log-source.js';

const diagnose = (lines: string[]) => createDiagnoser().diagnose(fromText('x', lines.join('\n')));

describe('classification', () => {
  it('calls a test that failed because a registry returned 502 a network failure, not a test failure', async () => {
    const d = await diagnose([
      '##[group]Run pytest tests/functional',
      '##[endgroup]',
      '___________________ test_install_from_github ___________________',
      'E       AssertionError: Script returned code: 1',
      "ERROR: HTTPSConnectionPool(host='github.com', port=443): Max retries exceeded with url: /x.zip (Caused by ResponseError('too many 502 error responses'))",
      'FAILED tests/functional/test_install.py::test_install_from_github - AssertionError',
      '##[error]Process completed with exit code 1.',
    ]);
    assert.equal(d.category, 'network_or_flaky');
    assert.equal(d.transient, true);
  });

  it('calls a Docker build that failed on a network error a Docker build failure', async () => {
    const d = await diagnose([
      '#9 [nydus 1/2] RUN wget https://github.com/x/releases/download/v2/x.tgz',
      '#9 0.149 wget: server returned error: HTTP/1.1 502 Bad Gateway',
      '#9 ERROR: process "/bin/sh -c wget https://github.com/x.tgz" did not complete successfully: exit code: 1',
      'ERROR: failed to solve: process "/bin/sh -c wget https://github.com/x.tgz" did not complete successfully: exit code: 1',
      '##[error]buildx failed with: ERROR: failed to solve',
    ]);
    assert.equal(d.category, 'docker_build');
  });

  it('sees a cause printed long before the symptom in the same step (git ownership, then "no tests found")', async () => {
    const noise = Array.from({ length: 300 }, (_, i) => `Creating test instance ${i}`);
    const d = await diagnose([
      '##[group]Run docker run --rm -v $(pwd):/work node:20 ./run-tests.sh',
      '##[endgroup]',
      "fatal: detected dubious ownership in repository at '/work'",
      'To add an exception for this directory, call:',
      ...noise,
      'No tests found, exiting with code 1',
      'Run with `--passWithNoTests` to exit with code 0',
      '##[error]Process completed with exit code 1.',
    ]);
    assert.equal(d.category, 'permission_or_secret');
  });

  it('reads exit code 124 or 137 as a timeout or a kill', async () => {
    const d = await diagnose(['$ timeout 35m ci/build.sh', 'Compiling module 41 of 90', 'The command "timeout 35m ci/build.sh" exited with 124.']);
    assert.equal(d.category, 'timeout_or_oom');
  });

  it('prefers the more specific code category: a type error over a generic compile failure', async () => {
    const d = await diagnose(["src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", 'error Command failed with exit code 2.', '##[error]Process completed with exit code 2.']);
    assert.equal(d.category, 'type_error');
  });

  it('gives every category its cause and fix text', async () => {
    const d = await diagnose(['npm ERR! code E404', 'npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd']);
    assert.equal(d.category, 'dependency_install');
    assert.match(d.likelyCause, /dependency/i);
    assert.match(d.suggestedFix, /lockfile|version/i);
  });
});
