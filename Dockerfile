# shipready GitHub App — multi-stage image.
#   docker build -t shipready .
#   docker run --env-file .env -p 3000:3000 shipready
# Pin the base image further by digest in your deployment (node:20.19.5-bookworm-slim@sha256:…) if you mirror it.

ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# ---- build: compile TypeScript with the dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY checks ./checks
RUN npm run build

# ---- runtime: production dependencies and the compiled output only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY app.yml ./
# The image's `node` user (uid 1000): the App needs no root, and writes nothing to disk.
USER node
EXPOSE 3000
# No curl in the slim image: node asks /health itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm start) so SIGTERM reaches the App and it drains its queue before exiting.
CMD ["node", "dist/src/app/server.js"]
