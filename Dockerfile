# syntax=docker/dockerfile:1
# Build stage: a static binary with templates, static files and samples embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/igs .

# Run stage: Debian slim with Chromium and the CJK and emoji fonts, installed
# by the same script the run and test commands use.
FROM debian:bookworm-slim
COPY scripts/install-deps.sh /usr/local/bin/install-deps.sh
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tini ca-certificates \
    && /usr/local/bin/install-deps.sh \
    && rm -rf /var/lib/apt/lists/*

# A fixed non-root UID, so mounted volumes can be given to it.
RUN groupadd --system --gid 10001 igs \
    && useradd --system --uid 10001 --gid igs --home-dir /var/lib/igs --create-home igs
COPY --from=build /out/igs /usr/local/bin/igs

USER 10001:10001
WORKDIR /var/lib/igs
ENV IGS_ADDR=:8080 \
    IGS_DATA_DIR=/var/lib/igs/data
EXPOSE 8080
VOLUME ["/var/lib/igs/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["igs", "health"]
ENTRYPOINT ["/usr/bin/tini", "--", "igs"]
CMD ["serve"]
