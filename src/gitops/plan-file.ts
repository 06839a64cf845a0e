import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod/v4';
import { Plan, planHash } from '../domain/plan.js';

/**
 * The plan file a fix PR carries: `.pitcrew/plans/<plan id>.yaml`, holding the
 * plan and its hash. The gate and the executor read it from git (the PR head,
 * then the merge commit), never from the database (invariant I5).
 */
export const PLAN_DIR = '.pitcrew/plans';
const PLAN_FILE = /^\.pitcrew\/plans\/(plan_[a-z0-9]+)\.yaml$/;

export function planFilePath(planId: string): string {
  return `${PLAN_DIR}/${planId}.yaml`;
}

/** True for any path under `.pitcrew/plans/` (well-formed or not: the gate must see every one). */
export function isPlanPath(path: string): boolean {
  return path.startsWith(`${PLAN_DIR}/`);
}

const HEADER = [
  '# pitcrew plan. Reviewers approve this exact content on the PR\'s head commit.',
  '# Any edit changes the head commit, which makes earlier approvals stale, and must',
  '# keep planHash equal to the sha256 of the plan\'s canonical JSON, or the gate fails.',
];

const PlanFileShape = z.strictObject({ planHash: z.string().regex(/^sha256:[0-9a-f]{64}$/), plan: z.unknown() });

export function renderPlanFile(plan: Plan): string {
  const valid = Plan.parse(plan);
  const body = stringifyYaml({ planHash: planHash(valid), plan: valid }, { lineWidth: 0, aliasDuplicateObjects: false });
  return `${HEADER.join('\n')}\n${body}`;
}

export type PlanFileRead =
  | { ok: true; plan: Plan; hash: string }
  | { ok: false; problem: string };

/**
 * Parses and checks a plan file: YAML, the shape, the Plan schema, the file
 * name against the plan id, and the recorded hash against the plan's hash.
 */
export function readPlanFile(path: string, text: string): PlanFileRead {
  const name = PLAN_FILE.exec(path);
  if (!name) return { ok: false, problem: `${path} is not a plan file name (.pitcrew/plans/plan_<id>.yaml)` };
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 0 });
  } catch (error) {
    return { ok: false, problem: `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const shape = PlanFileShape.safeParse(raw);
  if (!shape.success) return { ok: false, problem: `${path} must hold planHash (sha256:<64 hex>) and plan, nothing else` };
  const plan = Plan.safeParse(shape.data.plan);
  if (!plan.success) {
    const issue = plan.error.issues[0]!;
    return { ok: false, problem: `${path} holds an invalid plan (${issue.path.map(String).join('.') || 'plan'}: ${issue.message})` };
  }
  if (plan.data.id !== name[1]) return { ok: false, problem: `${path} holds plan ${plan.data.id}; the file name must match the plan id` };
  const hash = planHash(plan.data);
  if (hash !== shape.data.planHash) return { ok: false, problem: `${path} was edited: its planHash does not match the plan (the plan hashes to ${hash.slice(0, 19)}…)` };
  return { ok: true, plan: plan.data, hash };
}
