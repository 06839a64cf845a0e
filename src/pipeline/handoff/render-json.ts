import type { Handoff } from './model.js';

/** The handoff as JSON for scripts: the Handoff itself, plus ISO times for the window. Version 1. */
export function renderHandoffJson(handoff: Handoff): string {
  const document = {
    version: 1,
    window: { ...handoff.window, fromIso: new Date(handoff.window.from).toISOString(), toIso: new Date(handoff.window.to).toISOString() },
    ...Object.fromEntries(Object.entries(handoff).filter(([key]) => key !== 'window')),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
