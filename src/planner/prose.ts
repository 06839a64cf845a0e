import { stripInvisible } from '../domain/text-safety.js';

/**
 * Prose that ends up in a plan (summaries, causes, human steps) is shown in
 * Slack and on GitHub, where a link is one click from trouble. Untrusted or
 * model-written prose keeps its words and loses its tricks:
 *  - invisible and bidi characters are removed, and text is NFKC-normalised
 *    (fullwidth and compatibility look-alikes become plain ASCII);
 *  - markdown links `[text](url)` and Slack links `<url|text>` keep only text;
 *  - a bare URL stays only if its origin is one the plan already trusts
 *    (the alert's own links, the policy's http base URLs); others become
 *    "[link removed]".
 */
const MARKDOWN_LINK = /!?\[([^\]\n]{0,300})\]\(([^)\s]{0,2000})\)/g;
const SLACK_LINK = /<((?:https?|mailto|slack):[^|>\s]{0,2000})(?:\|([^>\n]{0,300}))?>/gi;
const BARE_URL = /\b(?:https?|ftp|file|javascript|data):[^\s<>"')\]]+/gi;

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function sanitizeProse(text: string, trustedUrls: string[] = [], maxLength = 2000): string {
  const trusted = new Set(trustedUrls.map(originOf).filter((o): o is string => o !== undefined && o !== 'null'));
  let out = stripInvisible(text.normalize('NFKC'));
  out = out.replace(MARKDOWN_LINK, (_whole, label: string) => label);
  out = out.replace(SLACK_LINK, (_whole, _url: string, label?: string) => label ?? '[link removed]');
  out = out.replace(BARE_URL, (url) => {
    const origin = originOf(url);
    return origin && /^https?:/.test(url) && trusted.has(origin) ? url : '[link removed]';
  });
  out = out.trim();
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}

/** One line, for titles and summaries. */
export function oneLine(text: string, trustedUrls: string[] = [], maxLength = 300): string {
  return sanitizeProse(text.replace(/\s+/g, ' '), trustedUrls, maxLength);
}

/** The first sentence (or line) of a passage, without markdown headings and emphasis. */
export function firstSentence(markdown: string, maxLength = 300): string {
  const body = markdown
    .split('\n')
    .filter((line) => !/^\s*(#|---|```|\|)/.test(line) && line.trim() !== '')
    .join(' ')
    .replace(/[*_`>]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const match = /^(.{20,}?[.!?])(\s|$)/.exec(body);
  const sentence = match ? match[1]! : body;
  return sentence.length > maxLength ? `${sentence.slice(0, maxLength - 1)}…` : sentence;
}
