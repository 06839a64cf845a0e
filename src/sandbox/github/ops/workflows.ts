import { parse } from 'yaml';
import type { GitHubCore } from '../core.js';
import { ApiError } from '../errors.js';
import type { RepoRecord, WorkflowRecord } from '../model.js';

/** What the fake reads from a workflow file: enough to validate dispatches and name jobs. */
export interface WorkflowDefinition {
  name: string;
  dispatchable: boolean;
  inputs: Record<string, { required: boolean; default?: string }>;
  jobs: string[];
}

export function parseWorkflow(path: string, text: string): WorkflowDefinition {
  let doc: Record<string, unknown> = {};
  try {
    const parsed: unknown = parse(text);
    if (parsed && typeof parsed === 'object') doc = parsed as Record<string, unknown>;
  } catch {
    // GitHub lists a broken workflow file under its path; dispatching it fails below.
  }
  const on = doc.on ?? doc[true as unknown as string];
  let dispatch: unknown;
  if (typeof on === 'string') dispatch = on === 'workflow_dispatch' ? {} : undefined;
  else if (Array.isArray(on)) dispatch = on.includes('workflow_dispatch') ? {} : undefined;
  else if (on && typeof on === 'object') dispatch = 'workflow_dispatch' in on ? ((on as Record<string, unknown>).workflow_dispatch ?? {}) : undefined;
  const inputs: WorkflowDefinition['inputs'] = {};
  const rawInputs = (dispatch as { inputs?: Record<string, { required?: boolean; default?: unknown }> } | undefined)?.inputs ?? {};
  for (const [name, spec] of Object.entries(rawInputs)) {
    inputs[name] = { required: spec?.required === true, ...(spec?.default !== undefined ? { default: String(spec.default) } : {}) };
  }
  const jobs = doc.jobs && typeof doc.jobs === 'object' ? Object.entries(doc.jobs as Record<string, { name?: unknown }>).map(([id, job]) => (typeof job?.name === 'string' ? job.name : id)) : [];
  return { name: typeof doc.name === 'string' ? doc.name : path, dispatchable: dispatch !== undefined, inputs, jobs };
}

/** Workflows are the `.github/workflows/*.yml` files on the default branch, as on GitHub. */
export async function syncWorkflows(core: GitHubCore, repo: RepoRecord): Promise<WorkflowRecord[]> {
  const head = await repo.git.readRef(`refs/heads/${repo.defaultBranch}`);
  const dir = head ? await repo.git.entryAt(head, '.github/workflows') : null;
  const files = dir?.type === 'tree' ? (await repo.git.readTree(dir.sha)).filter((entry) => entry.type === 'blob' && /\.ya?ml$/.test(entry.path)) : [];
  for (const file of files) {
    const path = `.github/workflows/${file.path}`;
    const definition = parseWorkflow(path, (await repo.git.readBlob(file.sha)).toString('utf8'));
    const existing = [...core.workflows.values()].find((workflow) => workflow.repo === repo.fullName && workflow.path === path);
    if (existing) existing.name = definition.name;
    else {
      const id = core.id();
      core.workflows.set(id, { id, repo: repo.fullName, path, name: definition.name, state: 'active', createdAt: core.now() });
    }
  }
  return [...core.workflows.values()].filter((workflow) => workflow.repo === repo.fullName).sort((a, b) => a.id - b.id);
}

/** `:workflow_id` is a numeric id or a file name (`deploy.yml`). */
export async function findWorkflow(core: GitHubCore, repo: RepoRecord, idOrFile: string): Promise<WorkflowRecord> {
  const workflows = await syncWorkflows(core, repo);
  const workflow = workflows.find((candidate) => String(candidate.id) === idOrFile || candidate.path === idOrFile || candidate.path.endsWith(`/${idOrFile}`));
  if (!workflow) throw ApiError.notFound();
  return workflow;
}

export async function readDefinition(repo: RepoRecord, workflow: WorkflowRecord, ref: string): Promise<WorkflowDefinition | null> {
  const entry = await repo.git.entryAt(ref, workflow.path);
  if (!entry || entry.type !== 'blob') return null;
  return parseWorkflow(workflow.path, (await repo.git.readBlob(entry.sha)).toString('utf8'));
}
