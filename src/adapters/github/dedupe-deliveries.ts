import type { Logger } from '../../ops/logger.js';
import type { ClaimResult } from '../../store/delivery-claims.js';

/** What the dedupe needs of the claims store (DeliveryClaims implements it). */
export interface DeliveryClaimPort {
  claim(source: string, id: string, event: string): Promise<ClaimResult>;
  complete(source: string, id: string): Promise<void>;
  release(source: string, id: string): Promise<void>;
}

interface VerifiableEvent {
  id: string;
  name: string;
  payload: string;
  signature: string;
}

/** The part of @octokit/webhooks' Webhooks (probot.webhooks) this wraps. */
export interface WebhookReceiver {
  verify(payload: string, signature: string): Promise<boolean>;
  verifyAndReceive(event: VerifiableEvent): Promise<void>;
}

/**
 * Each GitHub delivery (X-GitHub-Delivery) is handled once across every
 * replica: a delivery that reaches two replicas, or arrives twice, runs its
 * handlers once (ADR 0015). Wraps the `verifyAndReceive` that Probot's
 * middleware calls, so the signature is checked before anything is claimed
 * (a forged request can neither claim an id nor be told it is a duplicate)
 * and every status code the middleware answers with stays as it was. A
 * handler failure releases the claim, so a redelivery of a failed delivery is
 * handled again.
 */
export function dedupeDeliveries(webhooks: WebhookReceiver, claims: DeliveryClaimPort, log: Logger): void {
  const receive = webhooks.verifyAndReceive.bind(webhooks);
  webhooks.verifyAndReceive = async (event) => {
    // An invalid signature: let the original reject it with its usual error (400).
    if (!(await webhooks.verify(event.payload, event.signature).catch(() => false))) return receive(event);
    const claim = await claims.claim('github', event.id, event.name);
    if (claim !== 'claimed') {
      log.info({ delivery: event.id, event: event.name, claim }, 'github delivery already handled or being handled; skipped');
      return;
    }
    try {
      await receive(event);
    } catch (error) {
      await claims.release('github', event.id).catch((releaseError: Error) => log.warn({ delivery: event.id, err: releaseError.message }, 'cannot release delivery claim'));
      throw error;
    }
    await claims.complete('github', event.id);
  };
}
