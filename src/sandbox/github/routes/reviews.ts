import { actorLogin } from '../auth.js';
import { ApiError } from '../errors.js';
import { dismissReview, submitReview, type ReviewEvent } from '../ops/reviews.js';
import { renderReview } from '../render/pulls.js';
import { raiseReview } from '../webhooks/events.js';
import { bodyString, intParam, json, paginate, requireBodyString, type Ctx, type RouteDef } from './route.js';

const EVENTS: ReviewEvent[] = ['APPROVE', 'REQUEST_CHANGES', 'COMMENT'];

function reviewOf(ctx: Ctx) {
  const issue = ctx.core.pull(ctx.repo, intParam(ctx, 'number'));
  const review = ctx.core.reviews.get(intParam(ctx, 'review_id'));
  if (!review || review.repo !== ctx.repo.fullName || review.number !== issue.number) throw ApiError.notFound();
  return { issue, review };
}

function eventOf(ctx: Ctx): ReviewEvent | undefined {
  const event = bodyString(ctx, 'event');
  if (event === undefined || event === '') return undefined;
  if (!EVENTS.includes(event as ReviewEvent)) throw ApiError.unprocessable(`Invalid request.\n\nFor 'properties/event', "${event}" is not a member of ["APPROVE", "REQUEST_CHANGES", "COMMENT"].`);
  return event as ReviewEvent;
}

export const reviewRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/reviews',
    scope: ['pull_requests', 'read'],
    handler: (ctx) => {
      const issue = ctx.core.pull(ctx.repo, intParam(ctx, 'number'));
      const viewer = ctx.actor && ctx.actor.kind !== 'app' ? ctx.actor.login : '';
      // Pending reviews are visible only to their author.
      const reviews = ctx.core.reviewsOf(ctx.repo, issue.number).filter((review) => review.state !== 'PENDING' || review.user === viewer);
      return paginate(ctx, reviews.map((review) => renderReview(ctx.core, ctx.repo, review)));
    },
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/pulls/:number/reviews',
    scope: ['pull_requests', 'write'],
    role: 'read',
    handler: async (ctx) => {
      const issue = ctx.core.pull(ctx.repo, intParam(ctx, 'number'));
      const event = eventOf(ctx);
      const body = bodyString(ctx, 'body');
      const commitId = bodyString(ctx, 'commit_id');
      const review = await submitReview(ctx.core, ctx.repo, issue, actorLogin(ctx.actor!), { ...(event ? { event } : {}), ...(body !== undefined ? { body } : {}), ...(commitId ? { commitId } : {}) });
      return json(200, renderReview(ctx.core, ctx.repo, review));
    },
  },
  {
    method: 'GET',
    path: '/repos/:owner/:repo/pulls/:number/reviews/:review_id',
    scope: ['pull_requests', 'read'],
    handler: (ctx) => json(200, renderReview(ctx.core, ctx.repo, reviewOf(ctx).review)),
  },
  {
    method: 'POST',
    path: '/repos/:owner/:repo/pulls/:number/reviews/:review_id/events',
    scope: ['pull_requests', 'write'],
    role: 'read',
    handler: async (ctx) => {
      const { issue, review } = reviewOf(ctx);
      const login = actorLogin(ctx.actor!);
      if (review.state !== 'PENDING' || review.user !== login) throw ApiError.unprocessable('Unprocessable Entity', ['Can not submit a review that is not pending']);
      const event = eventOf(ctx);
      if (!event) throw ApiError.unprocessable('Invalid request.\n\n"event" wasn\'t supplied.');
      if (event === 'APPROVE' && login.toLowerCase() === issue.user.toLowerCase()) throw ApiError.unprocessable('Unprocessable Entity', ['Review Can not approve your own pull request']);
      review.state = event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
      review.body = bodyString(ctx, 'body') ?? review.body;
      review.submittedAt = ctx.core.now();
      await raiseReview(ctx.core, ctx.repo, issue, review, 'submitted', login);
      return json(200, renderReview(ctx.core, ctx.repo, review));
    },
  },
  {
    method: 'PUT',
    path: '/repos/:owner/:repo/pulls/:number/reviews/:review_id/dismissals',
    scope: ['pull_requests', 'write'],
    handler: async (ctx) => {
      const { issue, review } = reviewOf(ctx);
      const message = requireBodyString(ctx, 'message', 'PullRequestReview');
      await dismissReview(ctx.core, ctx.repo, issue, review, actorLogin(ctx.actor!), message);
      return json(200, renderReview(ctx.core, ctx.repo, review));
    },
  },
];
