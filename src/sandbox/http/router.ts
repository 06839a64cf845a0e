/**
 * Path-pattern routing for the sandbox fakes. Patterns use `:name` for one
 * segment and `*name` (last only) for the rest of the path, so a git ref such as
 * `heads/feature/x` or a contents path such as `.github/pitcrew.yml` fits one
 * parameter. Parameters are percent-decoded after matching: Octokit sends
 * `{ref}` and `{path}` with `/` encoded as `%2F`, GitHub accepts both forms.
 */
export interface Match<H> {
  handler: H;
  params: Record<string, string>;
}

interface Compiled<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Compiled<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  /**
   * The route for `method path`; `methodNotAllowed` when the path exists under
   * another method. Literal segments win over parameters, so
   * `/issues/comments` beats `/issues/:number` whatever the registration order.
   */
  match(method: string, path: string): Match<H> | { methodNotAllowed: true } | undefined {
    const raw = split(path);
    let pathMatched = false;
    let best: (Match<H> & { score: number }) | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, raw);
      if (!params) continue;
      if (route.method !== method.toUpperCase()) {
        pathMatched = true;
        continue;
      }
      const score = route.segments.filter((segment) => !segment.startsWith(':') && !segment.startsWith('*')).length;
      if (!best || score > best.score) best = { handler: route.handler, params, score };
    }
    if (best) return { handler: best.handler, params: best.params };
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(pattern: string[], raw: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part.startsWith('*')) {
      if (i >= raw.length) return undefined;
      params[part.slice(1)] = raw.slice(i).map(decode).join('/');
      return params;
    }
    const segment = raw[i];
    if (segment === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = decode(segment);
    else if (part !== segment) return undefined;
  }
  return raw.length === pattern.length ? params : undefined;
}
