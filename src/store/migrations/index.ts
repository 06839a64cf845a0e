import type { Migration } from 'kysely';
import * as m0001 from './0001-settings.js';
import * as m0010 from './0010-jobs.js';
import * as m0011 from './0011-incidents.js';
import * as m0030 from './0030-ci-failure-history.js';
import * as m0031 from './0031-ci-confirmed-diagnoses.js';
import * as m0040 from './0040-plan-decisions.js';
import * as m0060 from './0060-chat-messages.js';
import * as m0070 from './0070-executions.js';
import * as m0075 from './0075-verifications.js';
import * as m0080 from './0080-fix-pull-requests.js';
import * as m0090 from './0090-webhook-deliveries.js';

/**
 * Every migration, in order. One set for SQLite and Postgres: migrations use
 * only the portable column types described in ../schema.ts.
 * To add one: create NNNN-name.ts with `up` (and `down`), then list it here.
 * Kysely applies them in name order.
 */
export const migrations: Record<string, Migration> = {
  '0001-settings': m0001,
  '0010-jobs': m0010,
  '0011-incidents': m0011,
  '0030-ci-failure-history': m0030,
  '0031-ci-confirmed-diagnoses': m0031,
  '0040-plan-decisions': m0040,
  '0060-chat-messages': m0060,
  '0070-executions': m0070,
  '0075-verifications': m0075,
  '0080-fix-pull-requests': m0080,
  '0090-webhook-deliveries': m0090,
};
