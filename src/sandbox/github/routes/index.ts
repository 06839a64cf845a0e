import { actionRoutes } from './actions.js';
import { appAuthRoutes } from './app-auth.js';
import { checkRoutes } from './checks.js';
import { commitRoutes } from './commits.js';
import { contentRoutes } from './contents.js';
import { gitObjectRoutes } from './git-objects.js';
import { gitRefRoutes } from './git-refs.js';
import { issueRoutes } from './issues.js';
import { miscRoutes } from './misc.js';
import { pullRoutes } from './pulls.js';
import { repoRoutes } from './repos.js';
import { reviewRoutes } from './reviews.js';
import type { RouteDef } from './route.js';
import { teamRoutes } from './teams.js';

/** Every REST route the GitHub fake serves. */
export const allRoutes: RouteDef[] = [
  ...appAuthRoutes,
  ...repoRoutes,
  ...teamRoutes,
  ...gitRefRoutes,
  ...gitObjectRoutes,
  ...contentRoutes,
  ...commitRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  ...issueRoutes,
  ...checkRoutes,
  ...actionRoutes,
  ...miscRoutes,
];
