import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from '../../config/config.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../ops/logger.js';
import type { SlackContext } from './context.js';
import { acknowledgeListener } from './listeners/actions/acknowledge.js';
import { proposeFixListener } from './listeners/actions/propose-fix.js';
import { resolveListener } from './listeners/actions/resolve.js';
import { snoozeListener } from './listeners/actions/snooze.js';
import { pitcrewCommandListener } from './listeners/commands/pitcrew.js';
import { appMentionListener } from './listeners/events/app-mention.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Every listener, one per file; each acks first and stays thin. */
const LISTENERS = [pitcrewCommandListener, proposeFixListener, acknowledgeListener, resolveListener, snoozeListener, appMentionListener];

export interface SlackApp {
  app: App;
  stop(): Promise<void>;
}

/**
 * The Bolt app. Over HTTP it is mounted on the shared server at
 * /slack/events: Bolt's receiver checks the v0 signature and the timestamp
 * (older than 5 minutes is a replay) and answers 401 before any listener
 * runs. With SLACK_APP_TOKEN it uses Socket Mode instead (no public URL).
 */
export async function startSlackApp(config: SlackConfig, http: HttpServer, ctx: SlackContext, log: Logger): Promise<SlackApp> {
  const logger = boltLogger(log);
  const clientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  let app: App;
  if (config.appToken) {
    app = new App({ token: config.botToken, signingSecret: config.signingSecret, appToken: config.appToken, socketMode: true, logger, clientOptions });
  } else {
    const receiver = new HTTPReceiver({ signingSecret: config.signingSecret, endpoints: SLACK_EVENTS_PATH, logger, processBeforeResponse: false, unhandledRequestTimeoutMillis: 3001 });
    app = new App({ token: config.botToken, receiver, logger, clientOptions });
    http.route('POST', SLACK_EVENTS_PATH, (req, res) => receiver.requestListener(req, res));
  }
  app.error(async (error) => {
    log.error({ err: error.message, code: (error as { code?: string }).code }, 'slack listener failed');
  });
  for (const register of LISTENERS) register(app, ctx);
  // Socket Mode connects out to Slack; Slack being unreachable at startup must not stop the service (alerts are still acked).
  if (config.appToken) {
    app.start().then(
      () => log.info('slack socket mode connected'),
      (error: Error) => log.error({ err: error.message }, 'slack socket mode cannot connect: check SLACK_APP_TOKEN (connections:write)'),
    );
  }
  return {
    app,
    stop: async () => {
      if (config.appToken) await app.stop().catch(() => {});
    },
  };
}

/** Bolt's logger interface on top of pino; Bolt's debug chatter stays at debug. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const line = (fn: (msg: string) => void) => (...msg: unknown[]) => fn(msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' '));
  return {
    debug: line((m) => child.debug(m)),
    info: line((m) => child.info(m)),
    warn: line((m) => child.warn(m)),
    error: line((m) => child.error(m)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
