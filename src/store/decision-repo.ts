import { PitcrewError } from '../domain/errors.js';
import { Decision } from '../planner/decision.js';
import type { Db } from './store.js';

/** Stores and reads planner decisions. The row's columns are for listing; `body` is the whole record. */
export class DecisionRepo {
  constructor(private readonly db: Db) {}

  async save(decision: Decision): Promise<void> {
    await this.db.insertInto('plan_decisions').values({
      id: decision.id,
      created_at: decision.createdAt,
      plan_id: decision.planId,
      plan_hash: decision.planHash,
      signal_fingerprint: decision.signalFingerprint,
      incident_id: decision.incidentId ?? null,
      input_digest: decision.inputDigest,
      planner: decision.planner,
      model: decision.model ?? null,
      prompt_version: decision.promptVersion ?? null,
      input_tokens: decision.tokens.input,
      output_tokens: decision.tokens.output,
      estimated_cost_usd: decision.estimatedCostUsd,
      allowed: decision.verdict.allowed ? 1 : 0,
      risk: decision.verdict.risk,
      body: JSON.stringify(decision),
    }).execute();
  }

  async get(id: string): Promise<Decision | undefined> {
    const row = await this.db.selectFrom('plan_decisions').select('body').where('id', '=', id).executeTakeFirst();
    return row && Decision.parse(JSON.parse(row.body));
  }

  async require(id: string): Promise<Decision> {
    const decision = await this.get(id);
    if (!decision) throw new PitcrewError('not_found', `No decision ${id} in the decision log`, 'List recent ones with `pitcrew replay --list`.');
    return decision;
  }

  /** The newest decision recorded for an incident, if any. */
  async latestForIncident(incidentId: string): Promise<Decision | undefined> {
    const row = await this.db.selectFrom('plan_decisions').select('body').where('incident_id', '=', incidentId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row && Decision.parse(JSON.parse(row.body));
  }

  async listRecent(limit = 20, fingerprint?: string): Promise<{ id: string; createdAt: number; planId: string; fingerprint: string; planner: string; model: string | null; risk: string }[]> {
    let query = this.db.selectFrom('plan_decisions').select(['id', 'created_at', 'plan_id', 'signal_fingerprint', 'planner', 'model', 'risk']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (fingerprint) query = query.where('signal_fingerprint', '=', fingerprint);
    const rows = await query.execute();
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at, planId: r.plan_id, fingerprint: r.signal_fingerprint, planner: r.planner, model: r.model, risk: r.risk }));
  }
}
