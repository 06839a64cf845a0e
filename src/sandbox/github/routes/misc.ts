import { json, type RouteDef } from './route.js';

/** `GET /rate_limit`: the fake does not count primary limits, so everything is always available. */
export const miscRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/rate_limit',
    notContent: true,
    handler: (ctx) => {
      const reset = Math.floor(ctx.core.now() / 1000) + 3600;
      const core = { limit: 5000, used: 0, remaining: 5000, reset };
      return json(200, { resources: { core, search: { ...core, limit: 30, remaining: 30 }, graphql: core }, rate: core });
    },
  },
];
