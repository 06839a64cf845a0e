/**
 * Estimated cost of a planning run, in USD, from list prices per million
 * tokens (input, output). Unknown models (local servers, new releases) have
 * no estimate: the decision log records null rather than a guess.
 */
const PRICES: [RegExp, number, number][] = [
  [/^gpt-4o-mini/, 0.15, 0.6],
  [/^gpt-4o/, 2.5, 10],
  [/^gpt-4\.1-nano/, 0.1, 0.4],
  [/^gpt-4\.1-mini/, 0.4, 1.6],
  [/^gpt-4\.1/, 2, 8],
  [/^o4-mini/, 1.1, 4.4],
  [/^claude-(3-5-)?haiku/, 0.8, 4],
  [/^claude-haiku-4/, 1, 5],
  [/^claude-(3-[57]-)?sonnet|^claude-sonnet-4/, 3, 15],
  [/^claude-opus-4/, 15, 75],
];

export function estimateCostUsd(model: string, inputTokens: number, outputTokens: number): number | null {
  const name = model.replace(/^[a-z]+:/, '');
  const price = PRICES.find(([pattern]) => pattern.test(name));
  if (!price) return null;
  return Math.round(((inputTokens * price[1] + outputTokens * price[2]) / 1_000_000) * 1e6) / 1e6;
}
