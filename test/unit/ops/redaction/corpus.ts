import { secretFactory } from '../../../support/secrets.js';

/** A secret inside a realistic line; `secret` must not survive redaction. */
export interface SecretCase {
  name: string;
  line: string;
  secret: string;
}

export function secretCorpus(): SecretCase[] {
  const f = secretFactory(7);
  const cases: SecretCase[] = [];
  const add = (name: string, secret: string, line: (s: string) => string) => cases.push({ name, secret, line: line(secret) });

  add('AWS access key id', f.awsAccessKeyId(), (s) => `export AWS_ACCESS_KEY_ID=${s}`);
  add('AWS access key id in JSON', f.awsAccessKeyId(), (s) => `{"AccessKeyId": "${s}", "Expiration": "2026-01-01T00:00:00Z"}`);
  add('AWS secret access key', f.awsSecretKey(), (s) => `aws_secret_access_key = ${s}`);
  add('AWS secret in env dump', f.awsSecretKey(), (s) => `AWS_SECRET_ACCESS_KEY="${s}"`);
  add('GitHub classic PAT', f.githubPat(), (s) => `remote: Invalid username or token ${s} for https://github.com/acme/api.git`);
  add('GitHub OAuth token', f.githubOauth(), (s) => `Authorization header set from ${s}`);
  add('GitHub fine-grained PAT', f.githubFineGrained(), (s) => `GH_TOKEN=${s} gh pr list`);
  add('Slack bot token', f.slackBot(), (s) => `slack: posting with token ${s} failed: invalid_auth`);
  add('Slack user token', f.slackUser(), (s) => `SLACK_USER_TOKEN: ${s}`);
  add('Slack webhook URL', f.slackWebhook(), (s) => `notify: POST ${s} -> 200`);
  add('npm token', f.npmToken(), (s) => `npm ERR! token ${s} is not authorized`);
  add('npmrc _authToken', f.alnum(36), (s) => `//registry.npmjs.org/:_authToken=${s}`);
  add('JWT', f.jwt(), (s) => `GET /api/me 401 (token ${s})`);
  add('JWT in Authorization header', f.jwt(), (s) => `Authorization: Bearer ${s}`);
  add('password in https URL', f.password(), (s) => `git clone https://deploy:${s}@git.example.com/acme/api.git`);
  add('password in postgres URL', f.password(), (s) => `DATABASE_URL=postgres://app:${s}@db.internal:5432/app?sslmode=require`);
  add('password in mongodb+srv URL', f.password(), (s) => `connecting to mongodb+srv://root:${s}@cluster0.abcde.mongodb.net/prod`);
  add('password in redis URL', f.password(), (s) => `redis: dial redis://default:${s}@cache.internal:6379/0: i/o timeout`);
  add('password in amqp URL', f.password(), (s) => `amqp://guest:${s}@rabbit:5672/ connection refused`);
  add('ADO.NET connection string', f.password(), (s) => `Server=tcp:db.example.net,1433;Database=app;User ID=app;Password=${s};Encrypt=True;`);
  add('JDBC password parameter', f.password(), (s) => `jdbc:mysql://db:3306/app?user=app&password=${s}&useSSL=true`);
  add('password in YAML', f.password(), (s) => `  password: "${s}"`);
  add('basic auth header', Buffer.from(`admin:${f.password()}`).toString('base64'), (s) => `Authorization: Basic ${s}`);
  add('generic API key assignment', f.generic(32), (s) => `DATADOG_API_KEY=${s}`);
  add('generic client secret', f.generic(40), (s) => `client_secret: ${s}`);
  add('generic high-entropy token, unlabelled', f.generic(40), (s) => `curl -H "X-Trace: 1" https://api.example.com/v1/items?sig=${s}`);
  add('stripe-like live key', f.stripeLike(), (s) => `charge failed with key ${s}`);
  add('high-entropy token in JSON', f.generic(48), (s) => `{"level":"error","msg":"upstream rejected","session":"${s}"}`);
  add('RSA private key', f.privateKey('rsa'), (s) => `key file contents:\n${s}\nend of file`);
  add('EC private key', f.privateKey('ec'), (s) => `-- ${s}`);
  add('PKCS#8 private key', f.privateKey('ed25519'), (s) => `PRIVATE_KEY="${s}"`);
  return cases;
}

/** Ordinary log lines that must come out unchanged. */
export const ORDINARY_LINES = [
  '2026-03-01T12:00:00.123Z INFO [worker-3] processed job in 123ms status=ok',
  'Error: ENOENT: no such file or directory, open \'/var/lib/app/config/settings.json\'',
  '    at Object.openSync (node:fs:573:18) at /home/runner/work/api/api/node_modules/typescript/lib/typescript.js:1234:56',
  'HEAD is now at 3f2a1c9b8e7d6c5b4a39281706f5e4d3c2b1a098 fix: handle empty payloads',
  'Merge commit 9fceb02d0ae598e95dc970b74767f19372d61af8 into 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
  'image: ghcr.io/acme/api@sha256:4bc453b53cb3d914b45f4b250294236adba2c0e09ff6f03793949e7e39fd4cc1',
  'request_id=7d3f2a1c-1b2e-4c5d-9e8f-0a1b2c3d4e5f trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7',
  'npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.',
  'added 1423 packages, and audited 1424 packages in 41s',
  'resolved "https://registry.npmjs.org/zod/-/zod-3.25.76.tgz#sha512-abc" integrity sha512-5PyrrZK4fRuXKmBqnDu0vK2s0wKc8P7kAjA3VhMuwTHoM4yRlCbVN6y7nmiKvDt8sdkxB6f0ArZ2fbFJVv3EgA==',
  'Pulling fs layer 7b2d3c4e5f60 ... Digest: sha256:9b2a1f0e3c4d5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a',
  'pod payments-worker-7d9f8b6c5d-x2x4z in namespace payments is CrashLoopBackOff (restarts: 12)',
  'deployment.apps/checkout-api scaled to 3 replicas (was 6); HPA target 70% CPU',
  'node v20.20.2, npm 11.19.1, typescript 5.9.3, kysely 0.28.18',
  'FAIL test/unit/store/contract.test.ts > store contract [postgres] > applies every migration (1.234s)',
  'Run actions/checkout@v4 with token: ***',
  'GET https://api.example.com/v1/users?page=2&per_page=50 200 12.3ms',
  'connecting to postgres://db.internal:5432/app (no credentials in URL)',
  'ReadableStreamDefaultReader.prototype.read TransformStreamDefaultController InternalServerErrorException',
  'error TS2345: Argument of type \'string | undefined\' is not assignable to parameter of type \'string\'.',
  'The password field is required. token_expires_at=2026-03-01T12:00:00Z',
  'Using cache key: Linux-node-modules-8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b',
  'kubectl rollout restart deployment/checkout-api -n payments --context prod-eu-1',
  'sha1:6dcd4ce23d88e2ee9568ba546c007c63d9131c1b  file.tar.gz',
  'CPU usage above 90% for 10m on ip-10-0-12-34.eu-west-1.compute.internal',
  'password: ***** (masked)  secret: ${{ secrets.DEPLOY_KEY }}',
];
