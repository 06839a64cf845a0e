import { signalFromText } from '../domain/signal.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { PlannerTools } from '../planner/tools.js';
import type { IncidentRepo } from '../store/incident-repo.js';

/**
 * The LLM planner's read-only tools, backed by the running service's
 * knowledge and incident store. Tools whose backing is absent are left out,
 * and the planner offers the model only those present.
 */
export function plannerTools(deps: { knowledge: () => Promise<Knowledge>; incidents: IncidentRepo }): PlannerTools {
  return {
    searchRunbooks: async (query, limit) => {
      const { retriever } = await deps.knowledge();
      const result = await retriever.retrieve({ signal: signalFromText(query), limit, includeMemory: false });
      return result.runbooks.map((hit) => ({ id: `${hit.path}#L${hit.passage.line}`, path: hit.path, title: hit.title, headingPath: hit.passage.headingPath, text: hit.passage.text, score: hit.score }));
    },
    searchIncidents: async (query, limit) => {
      const { incidents } = await deps.knowledge();
      const hits = await incidents.search(query, limit);
      return hits.map((hit) => ({
        id: hit.id,
        title: hit.title,
        summary: hit.text,
        ...(typeof hit.metadata.resolution === 'string' ? { resolution: hit.metadata.resolution } : {}),
        score: hit.score,
      }));
    },
    getIncidentTimeline: async (incidentId) => {
      const incident = await deps.incidents.find(incidentId);
      if (!incident) throw new Error(`no incident ${incidentId}`);
      const events = await deps.incidents.timeline(incident.id);
      return events.map((event) => ({ at: event.at, who: event.actor, text: `${event.kind}${Object.keys(event.detail).length > 0 ? ` ${JSON.stringify(event.detail)}` : ''}` }));
    },
  };
}
