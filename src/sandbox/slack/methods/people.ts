import type { SlackUser } from '../workspace.js';
import { SlackError, str, type Method, type MethodCtx } from './method.js';

export function renderUser(ctx: MethodCtx, user: SlackUser): Record<string, unknown> {
  return {
    id: user.id,
    team_id: ctx.ws.teamId,
    name: user.name,
    deleted: user.deleted,
    real_name: user.realName,
    tz: user.tz,
    tz_label: 'Coordinated Universal Time',
    tz_offset: 0,
    profile: {
      real_name: user.realName,
      display_name: user.name,
      real_name_normalized: user.realName,
      display_name_normalized: user.name,
      ...(user.email ? { email: user.email } : {}),
      ...(user.botId ? { bot_id: user.botId } : {}),
      image_48: `https://avatars.slack-edge.invalid/${user.id}_48.png`,
      team: ctx.ws.teamId,
    },
    is_admin: user.isAdmin,
    is_owner: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 0,
  };
}

const usersInfo: Method = (ctx) => {
  const user = ctx.ws.users.get(str(ctx, 'user') ?? '');
  if (!user) throw new SlackError('user_not_found');
  return { user: renderUser(ctx, user) };
};

const lookupByEmail: Method = (ctx) => {
  const email = str(ctx, 'email');
  const user = [...ctx.ws.users.values()].find((candidate) => candidate.email === email);
  if (!user) throw new SlackError('users_not_found');
  return { user: renderUser(ctx, user) };
};

const usergroupUsers: Method = (ctx) => {
  const group = ctx.ws.usergroups.get(str(ctx, 'usergroup') ?? '');
  if (!group) throw new SlackError('no_such_subteam');
  return { users: [...group.users] };
};

const authTest: Method = (ctx) => {
  const user = ctx.ws.users.get(ctx.grant.userId)!;
  return {
    url: `https://${ctx.ws.domain}.slack.com/`,
    team: ctx.ws.teamName,
    user: user.name,
    team_id: ctx.ws.teamId,
    user_id: user.id,
    ...(user.botId ? { bot_id: user.botId } : {}),
    is_enterprise_install: false,
  };
};

export const peopleMethods: Record<string, Method> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.lookupByEmail': lookupByEmail,
  'usergroups.users.list': usergroupUsers,
};
