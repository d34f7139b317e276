# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, ship production dependencies only, run as non-root.
# DATABASE_URL, SECRET_KEY and JWT_SECRET_KEY come from the runtime environment; none is baked in.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (an optional dependency: development and tests) is built from source (no prebuilt downloads); it
# needs a compiler. Only this stage has one.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
RUN npm run build

# Production dependencies only. Production runs on PostgreSQL only (SQLite is refused), so the optional SQLite driver
# and the compiler its native build would need stay out of the image.
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8001 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node config ./config
COPY --chown=node:node data/samples ./data/samples
USER node
EXPOSE 8001
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8001)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations are a separate step: docker run <image> node node_modules/typeorm/cli.js -d dist/ormconfig.js migration:run
# Same flags as `npm run start:prod` (a bounded heap keeps the pod's memory steady under load).
CMD ["node", "--max-old-space-size=128", "dist/src/main.js"]
