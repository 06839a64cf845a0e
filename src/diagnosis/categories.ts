import { z } from 'zod/v4';

/**
 * The 11 failure categories of the CI-log contract (../shared/bench/README.md).
 * Every diagnosis lands in exactly one of them.
 */
export const FailureCategory = z.enum([
  'test_assertion',
  'lint_error',
  'compile_error',
  'type_error',
  'snapshot_diff',
  'dependency_install',
  'network_or_flaky',
  'timeout_or_oom',
  'permission_or_secret',
  'github_actions_config',
  'docker_build',
]);
export type FailureCategory = z.infer<typeof FailureCategory>;

export interface CategoryAdvice {
  title: string;
  /** What usually causes a failure of this kind. */
  likelyCause: string;
  /** The first thing an on-call engineer should try. */
  suggestedFix: string;
  /** Whether a re-run alone can plausibly make it pass. */
  transient: boolean;
}

export const CATEGORY_ADVICE: Record<FailureCategory, CategoryAdvice> = {
  test_assertion: {
    title: 'Test failure',
    likelyCause: 'A test assertion failed: the code under test no longer behaves as the test expects, or the test itself is wrong.',
    suggestedFix: 'Run the failing test locally with the same inputs, compare expected and actual values above, and fix the code or update the test.',
    transient: false,
  },
  lint_error: {
    title: 'Lint or format check',
    likelyCause: 'A linter or formatter found code that breaks the project rules.',
    suggestedFix: 'Run the project linter/formatter locally (e.g. `npm run lint -- --fix`, `prettier --write`, `ruff --fix`) and commit the result.',
    transient: false,
  },
  compile_error: {
    title: 'Build or compile error',
    likelyCause: 'The code does not compile or link: a syntax error, a missing symbol or import, or an incompatible API change.',
    suggestedFix: 'Open the file and line named above, fix the error, and build locally before pushing.',
    transient: false,
  },
  type_error: {
    title: 'Type check error',
    likelyCause: 'The type checker rejected the code: a type mismatch, a missing attribute or an untyped call.',
    suggestedFix: 'Run the type checker locally (e.g. `tsc --noEmit`, `mypy`) and fix the reported lines; avoid silencing them unless the types are wrong.',
    transient: false,
  },
  snapshot_diff: {
    title: 'Snapshot mismatch',
    likelyCause: 'Rendered output no longer matches the stored snapshot.',
    suggestedFix: 'If the change is intended, update the snapshots (e.g. `jest -u`, `vitest -u`, `TRYBUILD=overwrite`) and review the diff; otherwise fix the regression.',
    transient: false,
  },
  dependency_install: {
    title: 'Dependency install failure',
    likelyCause: 'A dependency could not be resolved or installed: a missing or yanked version, a lockfile out of sync, or a version conflict.',
    suggestedFix: 'Check the package and version named above exist, regenerate the lockfile (e.g. `npm install`, `poetry lock`), and pin a compatible version.',
    transient: false,
  },
  network_or_flaky: {
    title: 'Network or flaky failure',
    likelyCause: 'A network call failed (timeout, reset, DNS, 5xx from a registry or host) or the failure is intermittent.',
    suggestedFix: 'Re-run the job; if it recurs, add retries or a cache/mirror for the remote, or stub the network call in tests.',
    transient: true,
  },
  timeout_or_oom: {
    title: 'Timeout or out of resources',
    likelyCause: 'The job ran out of time, memory or disk, or a process was killed.',
    suggestedFix: 'Look for a hang or runaway allocation near the end of the log; raise the limit (timeout-minutes, NODE_OPTIONS=--max-old-space-size, bigger runner) only if the work really grew.',
    transient: true,
  },
  permission_or_secret: {
    title: 'Permission or secret problem',
    likelyCause: 'A credential is missing, expired or lacks a permission, or a file/repository is owned by another user.',
    suggestedFix: 'Check the secret is set for this repository/environment (forks do not receive secrets), the token scopes and `permissions:` block, and file ownership.',
    transient: false,
  },
  github_actions_config: {
    title: 'Workflow configuration error',
    likelyCause: 'The GitHub Actions workflow itself is invalid: a bad expression, a missing input, or an action that cannot be resolved.',
    suggestedFix: 'Fix the workflow file named in the error; validate it with `actionlint` before pushing.',
    transient: false,
  },
  docker_build: {
    title: 'Docker build failure',
    likelyCause: 'A Dockerfile instruction failed during the image build.',
    suggestedFix: 'Reproduce with `docker build` locally, fix the failing instruction shown above (RUN/COPY/FROM), and pin base images.',
    transient: false,
  },
};

export const ALL_CATEGORIES = FailureCategory.options;
