# syntax=docker/dockerfile:1
# pitcrew: multi-stage image. Build with `docker build -t pitcrew .`
#
# Stage 1 compiles TypeScript and builds native modules (better-sqlite3) with
# the toolchain; stage 2 carries only the compiled CLI and production
# dependencies, and runs as the unprivileged `node` user (uid 1000).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: the prepare script (tsc) needs the sources, copied below.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# tini reaps zombies and forwards SIGTERM, so a rollout drains the queue workers cleanly.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    PITCREW_DATA_DIR=/data \
    PITCREW_GITHUB_SETUP=false
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json app.yml ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root prompts ./prompts
COPY --chown=root:root runbooks ./runbooks
COPY --chown=root:root docs/policy.example.yml docs/pitcrew.schema.json ./docs/
# The code is owned by root and read-only to the process; only /data is writable.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/pitcrew.js", "serve"]
