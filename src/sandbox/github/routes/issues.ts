import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import type { Actor } from '../model.js';
import { addLabels, addReaction, createComment, createIssue, deleteComment, findComment, removeLabel, setLabels, updateComment } from '../ops/issues.js';
import { asPull, updatePull } from '../ops/pulls.js';
import { renderComment, renderIssue, renderReaction } from '../render/issues.js';
import { renderLabel } from '../render/repos.js';
import { raiseIssue } from '../webhooks/events.js';
import { bodyString, intParam, json, noContent, paginate, requireBodyString, type Ctx, type RouteDef } from './route.js';

/** Issue routes serve PRs too; an installation needs issues or pull_requests permission. */
const READ: RouteDef['scope'] = [['issues', 'read'], ['pull_requests', 'read']];
const WRITE: RouteDef['scope'] = [['issues', 'write'], ['pull_requests', 'write']];

function actingAs(ctx: Ctx): Actor & { login: string } {
  actorLogin(ctx.actor!);
  return ctx.actor as Actor & { login: string };
}

function labelNames(ctx: Ctx): string[] {
  const raw = ctx.body.__array ?? ctx.body.labels;
  if (!Array.isArray(raw)) throw ApiError.unprocessable('Invalid request.\n\n"labels" wasn\'t supplied.');
  return raw.map((item) => (typeof item === 'string' ? item : String((item as { name?: unknown }).name ?? '')));
}

function listLabels(ctx: Ctx) {
  const issue = ctx.core.issue(ctx.repo, intParam(ctx, 'number'));
  return json(200, issue.labels.map((name) => renderLabel(ctx.core, ctx.repo, ctx.repo.labels.get(name.toLowerCase())!)));
}

export const issueRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues',
    scope: READ,
    handler: (ctx) => {
      const state = ctx.query.get('state') ?? 'open';
      const labels = ctx.query.get('labels')?.split(',').map((label) => label.trim().toLowerCase()).filter(Boolean) ?? [];
      const issues = [...ctx.repo.issues.values()]
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => labels.every((label) => issue.labels.some((name) => name.toLowerCase() === label)))
        .sort((a, b) => b.number - a.number);
      return paginate(ctx, issues.map((issue) => renderIssue(ctx.core, ctx.repo, issue)));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues',
    scope: ['issues', 'write'],
    role: 'read',
    handler: (ctx) => {
      const title = requireBodyString(ctx, 'title', 'Issue');
      const labels = Array.isArray(ctx.body.labels) ? ctx.body.labels.map(String) : [];
      const issue = createIssue(ctx.core, ctx.repo, actorLogin(ctx.actor!), { title, body: bodyString(ctx, 'body') ?? null, labels });
      return json(201, renderIssue(ctx.core, ctx.repo, issue));
    },
  },
  { method: 'GET', path: '/repos/:owner/:repo/issues/:number', scope: READ, handler: (ctx) => json(200, renderIssue(ctx.core, ctx.repo, ctx.core.issue(ctx.repo, intParam(ctx, 'number')))) },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/issues/:number',
    scope: WRITE,
    handler: async (ctx) => {
      const issue = ctx.core.issue(ctx.repo, intParam(ctx, 'number'));
      const login = actorLogin(ctx.actor!);
      const state = bodyString(ctx, 'state');
      const pull = asPull(issue);
      if (pull) {
        await updatePull(ctx.core, ctx.repo, pull, login, {
          ...(typeof ctx.body.title === 'string' ? { title: ctx.body.title } : {}),
          ...('body' in ctx.body ? { body: bodyString(ctx, 'body') ?? null } : {}),
          ...(state === 'open' || state === 'closed' ? { state } : {}),
        });
      } else {
        if (typeof ctx.body.title === 'string') issue.title = ctx.body.title;
        if ('body' in ctx.body) issue.body = bodyString(ctx, 'body') ?? null;
        if (state === 'closed' && issue.state === 'open') {
          Object.assign(issue, { state: 'closed', closedAt: ctx.core.now(), closedBy: login, stateReason: bodyString(ctx, 'state_reason') ?? 'completed' });
          raiseIssue(ctx.core, ctx.repo, issue, 'closed', login);
        } else if (state === 'open' && issue.state === 'closed') {
          Object.assign(issue, { state: 'open', closedAt: null, closedBy: null, stateReason: 'reopened' });
          raiseIssue(ctx.core, ctx.repo, issue, 'reopened', login);
        }
        issue.updatedAt = ctx.core.now();
      }
      if (Array.isArray(ctx.body.labels)) await setLabels(ctx.core, ctx.repo, issue, login, ctx.body.labels.map(String));
      return json(200, renderIssue(ctx.core, ctx.repo, issue));
    },
  },
  // ── comments ──
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/:number/comments',
    scope: READ,
    handler: (ctx) => {
      const issue = ctx.core.issue(ctx.repo, intParam(ctx, 'number'));
      const since = ctx.query.get('since');
      const comments = [...ctx.core.comments.values()]
        .filter((comment) => comment.repo === ctx.repo.fullName && comment.issueNumber === issue.number)
        .filter((comment) => !since || comment.updatedAt >= Date.parse(since))
        .sort((a, b) => a.id - b.id);
      return paginate(ctx, comments.map((comment) => renderComment(ctx.core, ctx.repo, comment)));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues/:number/comments',
    scope: WRITE,
    role: 'read',
    handler: (ctx) => {
      const issue = ctx.core.issue(ctx.repo, intParam(ctx, 'number'));
      if (issue.locked && ctx.core.permissionOf(ctx.repo, actorLogin(ctx.actor!)) === 'read') throw new ApiError(403, 'Unable to create comment because issue is locked.');
      const comment = createComment(ctx.core, ctx.repo, issue, actingAs(ctx), requireBodyString(ctx, 'body', 'IssueComment'));
      return json(201, renderComment(ctx.core, ctx.repo, comment));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/comments',
    scope: READ,
    handler: (ctx) => paginate(ctx, [...ctx.core.comments.values()].filter((comment) => comment.repo === ctx.repo.fullName).sort((a, b) => a.id - b.id).map((comment) => renderComment(ctx.core, ctx.repo, comment))),
  },
  { method: 'GET', path: '/repos/:owner/:repo/issues/comments/:id', scope: READ, handler: (ctx) => json(200, renderComment(ctx.core, ctx.repo, findComment(ctx.core, ctx.repo, intParam(ctx, 'id')))) },
  {
    method: 'PATCH',
    path: '/repos/:owner/:repo/issues/comments/:id',
    scope: WRITE,
    role: 'read',
    handler: (ctx) => {
      const comment = updateComment(ctx.core, ctx.repo, findComment(ctx.core, ctx.repo, intParam(ctx, 'id')), actorLogin(ctx.actor!), requireBodyString(ctx, 'body', 'IssueComment'));
      return json(200, renderComment(ctx.core, ctx.repo, comment));
    },
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/issues/comments/:id',
    scope: WRITE,
    role: 'read',
    handler: (ctx) => {
      deleteComment(ctx.core, ctx.repo, findComment(ctx.core, ctx.repo, intParam(ctx, 'id')), actorLogin(ctx.actor!));
      return noContent();
    },
  },
  // ── reactions ──
  {
    method: 'GET',
    path: '/repos/:owner/:repo/issues/comments/:id/reactions',
    scope: READ,
    handler: (ctx) => {
      const comment = findComment(ctx.core, ctx.repo, intParam(ctx, 'id'));
      const content = ctx.query.get('content');
      const reactions = [...ctx.core.reactions.values()].filter((reaction) => reaction.commentId === comment.id && (!content || reaction.content === content));
      return paginate(ctx, reactions.map((reaction) => renderReaction(ctx.core, reaction)));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues/comments/:id/reactions',
    scope: WRITE,
    role: 'read',
    handler: (ctx) => {
      const comment = findComment(ctx.core, ctx.repo, intParam(ctx, 'id'));
      const { reaction, created } = addReaction(ctx.core, comment, actorLogin(ctx.actor!), requireBodyString(ctx, 'content', 'Reaction'));
      return json(created ? 201 : 200, renderReaction(ctx.core, reaction));
    },
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/issues/comments/:id/reactions/:reaction_id',
    scope: WRITE,
    role: 'read',
    handler: (ctx) => {
      const comment = findComment(ctx.core, ctx.repo, intParam(ctx, 'id'));
      const reaction = ctx.core.reactions.get(intParam(ctx, 'reaction_id'));
      if (!reaction || reaction.commentId !== comment.id) throw ApiError.notFound();
      if (reaction.user !== actorLogin(ctx.actor!)) throw new ApiError(403, 'You can only delete your own reactions.');
      ctx.core.reactions.delete(reaction.id);
      return noContent();
    },
  },
  // ── labels on issues and PRs ──
  { method: 'GET', path: '/repos/:owner/:repo/issues/:number/labels', scope: READ, handler: listLabels },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/issues/:number/labels',
    scope: WRITE,
    role: 'triage',
    handler: async (ctx) => {
      await addLabels(ctx.core, ctx.repo, ctx.core.issue(ctx.repo, intParam(ctx, 'number')), actorLogin(ctx.actor!), labelNames(ctx));
      return listLabels(ctx);
    },
  },
  {
    method: 'PUT',
    path: '/repos/:owner/:repo/issues/:number/labels',
    scope: WRITE,
    role: 'triage',
    handler: async (ctx) => {
      await setLabels(ctx.core, ctx.repo, ctx.core.issue(ctx.repo, intParam(ctx, 'number')), actorLogin(ctx.actor!), labelNames(ctx));
      return listLabels(ctx);
    },
  },
  {
    method: 'DELETE',
    path: '/repos/:owner/:repo/issues/:number/labels/:name',
    scope: WRITE,
    role: 'triage',
    handler: async (ctx) => {
      await removeLabel(ctx.core, ctx.repo, ctx.core.issue(ctx.repo, intParam(ctx, 'number')), actorLogin(ctx.actor!), ctx.params.name!);
      return listLabels(ctx);
    },
  },
];
