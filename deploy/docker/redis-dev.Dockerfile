# Redis for development (compose and the k8s redis-dev component): Debian 12's redis-server, the
# same Redis the tests run against, as a non-root user. Its settings come from the mounted
# deploy/k8s/components/redis-dev/redis.conf (AOF, appendfsync always).
# Build from the repository root: docker build -f deploy/docker/redis-dev.Dockerfile -t fieldwork/redis-dev .
FROM debian:12-slim
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 fieldwork \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin fieldwork \
 && install -d -o 65532 -g 65532 -m 0750 /data
# A named volume or PVC mounted at /data keeps the AOF.
USER 65532:65532
EXPOSE 6379
# SIGTERM: Redis finishes the AOF and exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["redis-server"]
CMD ["/etc/fieldwork/redis/redis.conf"]
