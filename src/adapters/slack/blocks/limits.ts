import type { KnownBlock } from '@slack/types';

/**
 * Slack's Block Kit limits (https://api.slack.com/reference/block-kit).
 * Builders cut long content to fit and say how much was cut, so a message is
 * never refused (`invalid_blocks`) and a reader knows something is missing.
 */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  /** The message's fallback `text` (notifications, screen readers). Slack allows 40,000; a fallback this long helps nobody. */
  fallbackText: 3000,
} as const;

/** Cuts `text` to `max` characters, ending with how many were cut: `… (1,234 more characters)`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  for (let keep = max - 20; keep > 0; keep--) {
    const suffix = `… (${(text.length - keep).toLocaleString('en-US')} more characters)`;
    if (keep + suffix.length <= max) return text.slice(0, keep) + suffix;
  }
  return text.slice(0, max);
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. Untrusted text goes through this. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Keeps a message within 50 blocks: when there are more, the last kept block
 * says how many were left out. The first blocks (the headline) are kept.
 */
export function capBlocks(blocks: KnownBlock[], max: number = LIMITS.blocks): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  const omitted = blocks.length - kept.length;
  kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `… ${omitted} more block${omitted === 1 ? '' : 's'} not shown (Slack allows ${max} per message)` }] });
  return kept;
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

export function fields(pairs: Array<[string, string]>): KnownBlock {
  return { type: 'section', fields: pairs.slice(0, LIMITS.fields).map(([label, value]) => ({ type: 'mrkdwn', text: truncate(`*${label}*\n${value}`, LIMITS.field) })) };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.header), emoji: true } };
}

export function context(...texts: string[]): KnownBlock {
  const elements = texts.filter((text) => text.length > 0).slice(0, LIMITS.contextElements);
  return { type: 'context', elements: elements.map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, LIMITS.contextText) })) };
}

export const divider: KnownBlock = { type: 'divider' };

/** A Slack message: blocks within limits plus the fallback text notifications show. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export function message(text: string, blocks: KnownBlock[]): SlackMessage {
  return { text: truncate(text, LIMITS.fallbackText), blocks: capBlocks(blocks.filter((block) => block.type !== 'context' || block.elements.length > 0)) };
}

/** Splits long mrkdwn into sections of at most 3,000 characters, on line breaks where it can. */
export function longText(text: string, maxSections = 10): KnownBlock[] {
  const out: KnownBlock[] = [];
  let rest = text;
  while (rest.length > 0 && out.length < maxSections) {
    if (rest.length <= LIMITS.sectionText || out.length === maxSections - 1) {
      out.push(section(rest));
      break;
    }
    let cut = rest.lastIndexOf('\n', LIMITS.sectionText);
    if (cut < LIMITS.sectionText / 2) cut = LIMITS.sectionText;
    out.push(section(rest.slice(0, cut)));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  return out;
}
