import { generateKeyPairSync } from 'node:crypto';

/**
 * Realistic fake secrets, generated at run time from a seeded PRNG so the
 * repository holds no literal token a secret scanner would flag, and every
 * run sees the same values.
 */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function secretFactory(seed = 42) {
  const random = seededRandom(seed);
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const b64url = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
  return {
    alnum: (n: number) => pick(ALNUM, n),
    awsAccessKeyId: () => `AKIA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
    awsSecretKey: () => pick(`${ALNUM}/+`, 40),
    githubPat: () => `ghp_${pick(ALNUM, 36)}`,
    githubOauth: () => `gho_${pick(ALNUM, 36)}`,
    githubFineGrained: () => `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`,
    slackBot: () => `xoxb-${pick('0123456789', 12)}-${pick('0123456789', 13)}-${pick(ALNUM, 24)}`,
    slackUser: () => `xoxp-${pick('0123456789', 12)}-${pick('0123456789', 12)}-${pick('0123456789', 13)}-${pick('0123456789abcdef', 32)}`,
    slackWebhook: () => `https://hooks.slack.com/services/T${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8)}/B${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10)}/${pick(ALNUM, 24)}`,
    npmToken: () => `npm_${pick(ALNUM, 36)}`,
    jwt: () => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: pick(ALNUM, 10), iat: 1716000000, role: 'admin' })}.${pick(`${ALNUM}-_`, 43)}`,
    password: () => `${pick(ALNUM, 10)}!${pick(ALNUM, 4)}`,
    generic: (n = 40) => pick(`${ALNUM}`, n),
    stripeLike: () => `sk_live_${pick(ALNUM, 24)}`,
    privateKey: (type: 'rsa' | 'ec' | 'ed25519') => {
      const options = type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: 'P-256' } : {};
      const { privateKey } = generateKeyPairSync(type as 'rsa', options as { modulusLength: number });
      return privateKey.export({ format: 'pem', type: type === 'rsa' ? 'pkcs1' : type === 'ec' ? 'sec1' : 'pkcs8' }).toString();
    },
  };
}
