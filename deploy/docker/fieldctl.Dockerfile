# The fieldctl image: the admin CLI, run as: docker run --rm fieldwork/fieldctl VERB NOUN ...
# Build from the repository root: docker build -f deploy/docker/fieldctl.Dockerfile -t fieldwork/fieldctl .
FROM debian:12 AS build
WORKDIR /src
COPY tools/install-deps tools/install-deps
RUN tools/install-deps
COPY . .
RUN deploy/docker/build-binary /out fieldctl

FROM debian:12-slim
# Exactly the packages ldd found in the build stage, plus time zones and CA roots.
COPY --from=build /out/runtime-packages.txt /tmp/runtime-packages.txt
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && xargs --arg-file=/tmp/runtime-packages.txt \
      apt-get install -y --no-install-recommends tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --gid 65532 fieldwork \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin fieldwork
COPY --from=build /out/bin/ /usr/local/bin/
USER 65532:65532
# SIGTERM ends a long command (fieldctl watch) as Ctrl-C would.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/fieldctl"]
