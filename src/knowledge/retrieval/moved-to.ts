import { posix } from 'node:path';
import type { Runbook } from '../runbooks/runbook.js';

/**
 * Resolves a "moved to" link of a stub runbook to the runbook it names, in
 * the same runbook directory: a relative link against the stub's folder, or
 * an absolute URL (`https://github.com/o/r/blob/main/alerts/x/Foo.md`) by the
 * longest runbook path it ends with.
 */
export function resolveMovedTo(stub: Runbook, catalog: Map<string, Runbook>): Runbook | undefined {
  if (!stub.movedTo) return undefined;
  const link = stub.movedTo;
  const siblings = [...catalog.values()].filter((runbook) => runbook.root === stub.root && runbook.id !== stub.id);
  if (!/^[a-z]+:\/\//i.test(link)) {
    const target = posix.normalize(posix.join(posix.dirname(stub.path), link)).replace(/^\.\//, '');
    const direct = siblings.find((runbook) => runbook.path === target);
    if (direct) return direct;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(link, 'file:///').pathname);
  } catch {
    return undefined;
  }
  return siblings
    .filter((runbook) => path === `/${runbook.path}` || path.endsWith(`/${runbook.path}`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
