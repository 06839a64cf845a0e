export type CheckStatus = 'ok' | 'off' | 'warn' | 'fail';

export interface CheckResult {
  status: CheckStatus;
  detail: string;
  /** What to do, when status is warn or fail. */
  hint?: string;
}

/** One thing `pitcrew doctor` verifies. Checks never throw; they report. */
export interface DoctorCheck {
  name: string;
  run(): Promise<CheckResult>;
}

export async function runCheck(check: DoctorCheck): Promise<CheckResult> {
  try {
    return await check.run();
  } catch (error) {
    return { status: 'fail', detail: (error as Error).message };
  }
}

/** fetch with a timeout, returning the parsed JSON body (or throwing a readable error). */
export async function fetchJson(url: string, init: RequestInit = {}, timeoutMs = 5_000): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
