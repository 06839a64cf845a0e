import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { GitHubCore, RaisedEvent } from '../core.js';
import type { AppRecord } from '../model.js';
import { nodeId } from '../render/common.js';
import { signSha1, signSha256 } from './sign.js';

export interface DeliveryAttempt {
  at: number;
  /** HTTP status of the receiver's answer; null when it could not be reached or timed out. */
  status: number | null;
  error?: string;
  responseBody: string;
  durationMs: number;
  redelivery: boolean;
  signature: 'valid' | 'forged' | 'none';
}

/** One webhook delivery: the exact bytes GitHub would send, and every attempt to send them. */
export interface Delivery {
  id: string;
  hookId: number;
  appId: number;
  event: string;
  action?: string;
  repo: string;
  installationId: number;
  body: string;
  payload: Record<string, unknown>;
  createdAt: number;
  attempts: DeliveryAttempt[];
}

export interface SendOptions {
  /** `valid` (default), `forged` (signed with the wrong secret), or `none` (no signature headers). */
  signature?: 'valid' | 'forged' | 'none';
  /** An explicit `X-Hub-Signature-256` value to send instead. */
  signatureHeader?: string;
}

/**
 * Delivers webhooks to the apps that subscribe to them, in event order, the
 * way GitHub's hookshot does: JSON body, `X-GitHub-Event`, `X-GitHub-Delivery`,
 * HMAC signatures, a 10 s timeout. Deliveries are kept for redelivery (same
 * GUID, same bytes) and for the attack helpers.
 */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private held: Delivery[] | null = null;

  constructor(
    private readonly core: GitHubCore,
    private readonly options: { timeoutMs: number },
  ) {
    core.onEvent((event) => this.enqueue(event));
  }

  /** Stop sending automatically; deliveries pile up until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Send everything held, in order, and resume automatic delivery. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const delivery of held) this.schedule(delivery);
  }

  /** Whether a delivery is queued or in flight. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Resolves once every delivery queued so far (and any they caused) has been attempted. */
  async settled(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  find(id: string): Delivery {
    const delivery = this.deliveries.find((candidate) => candidate.id === id);
    if (!delivery) throw new Error(`no webhook delivery ${id}; see deliveries for the list`);
    return delivery;
  }

  /** Deliveries of `event` (and `action`), oldest first. */
  list(event?: string, action?: string): Delivery[] {
    return this.deliveries.filter((delivery) => (!event || delivery.event === event) && (!action || delivery.action === action));
  }

  /** Sends a delivery again with the same GUID and bytes, `times` times, all at once when `concurrent`. */
  async redeliver(id: string, options: { times?: number; concurrent?: boolean } & SendOptions = {}): Promise<DeliveryAttempt[]> {
    const delivery = this.find(id);
    const times = options.times ?? 1;
    if (options.concurrent) return Promise.all(Array.from({ length: times }, () => this.post(delivery, { ...options, redelivery: true })));
    const attempts: DeliveryAttempt[] = [];
    for (let i = 0; i < times; i++) attempts.push(await this.post(delivery, { ...options, redelivery: true }));
    return attempts;
  }

  /** Re-sends a recorded delivery signed with the wrong secret (or an explicit header). */
  forge(id: string, options: SendOptions = {}): Promise<DeliveryAttempt> {
    return this.post(this.find(id), { signature: 'forged', ...options, redelivery: true });
  }

  /**
   * Sends an arbitrary payload as `event` to `app` (a new delivery), e.g. a
   * hand-built attack payload. `installation` is added when the app is installed on `repo`.
   */
  async sendCustom(app: AppRecord, event: string, payload: Record<string, unknown>, options: SendOptions & { installationId?: number } = {}): Promise<{ delivery: Delivery; attempt: DeliveryAttempt }> {
    const body = JSON.stringify({ ...payload, ...(options.installationId ? { installation: { id: options.installationId, node_id: nodeId('Installation', options.installationId) } } : {}) });
    const delivery: Delivery = {
      id: randomUUID(),
      hookId: app.id,
      appId: app.id,
      event,
      ...(typeof payload.action === 'string' ? { action: payload.action } : {}),
      repo: String((payload.repository as { full_name?: string } | undefined)?.full_name ?? ''),
      installationId: options.installationId ?? 0,
      body,
      payload: JSON.parse(body) as Record<string, unknown>,
      createdAt: this.core.now(),
      attempts: [],
    };
    this.deliveries.push(delivery);
    return { delivery, attempt: await this.post(delivery, { ...options, redelivery: false }) };
  }

  private enqueue(raised: RaisedEvent): void {
    for (const app of this.core.apps.values()) {
      if (!app.webhook) continue;
      if (raised.onlyAppId && raised.onlyAppId !== app.id) continue;
      if (app.events && !app.events.includes(raised.event)) continue;
      const installation = this.core.installationFor(app, raised.repo);
      if (!installation) continue;
      const payload = { ...raised.payload, installation: { id: installation.id, node_id: nodeId('Installation', installation.id) } };
      const delivery: Delivery = {
        id: randomUUID(),
        hookId: app.id,
        appId: app.id,
        event: raised.event,
        ...(raised.action ? { action: raised.action } : {}),
        repo: raised.repo.fullName,
        installationId: installation.id,
        body: JSON.stringify(payload),
        payload,
        createdAt: this.core.now(),
        attempts: [],
      };
      this.deliveries.push(delivery);
      if (this.held) this.held.push(delivery);
      else this.schedule(delivery);
    }
  }

  private schedule(delivery: Delivery): void {
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        await this.post(delivery, { redelivery: false });
      } finally {
        this.pending--;
      }
    });
  }

  private async post(delivery: Delivery, options: SendOptions & { redelivery: boolean }): Promise<DeliveryAttempt> {
    const app = this.core.apps.get(delivery.appId)!;
    const signature = options.signature ?? 'valid';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/pitcrew-sandbox',
      'x-github-event': delivery.event,
      'x-github-delivery': delivery.id,
      'x-github-hook-id': String(delivery.hookId),
      'x-github-hook-installation-target-id': String(app.id),
      'x-github-hook-installation-target-type': 'integration',
    };
    if (options.signatureHeader) headers['x-hub-signature-256'] = options.signatureHeader;
    else if (signature !== 'none') {
      const secret = signature === 'forged' ? `forged-${app.webhook?.secret ?? ''}` : (app.webhook?.secret ?? '');
      headers['x-hub-signature'] = signSha1(secret, delivery.body);
      headers['x-hub-signature-256'] = signSha256(secret, delivery.body);
    }
    const started = performance.now();
    const attempt: DeliveryAttempt = { at: this.core.now(), status: null, responseBody: '', durationMs: 0, redelivery: options.redelivery, signature: options.signatureHeader ? 'forged' : signature };
    try {
      if (!app.webhook) throw new Error(`app ${app.slug} has no webhook URL`);
      const response = await fetch(app.webhook.url, { method: 'POST', headers, body: delivery.body, signal: AbortSignal.timeout(this.options.timeoutMs) });
      attempt.status = response.status;
      attempt.responseBody = (await response.text()).slice(0, 4096);
    } catch (error) {
      attempt.error = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
    }
    attempt.durationMs = Math.round(performance.now() - started);
    delivery.attempts.push(attempt);
    return attempt;
  }
}
