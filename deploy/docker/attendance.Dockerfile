# The attendance image: invitations, leave, check-in and outcomes.
# Build from the repository root: docker build -f deploy/docker/attendance.Dockerfile -t fieldwork/attendance .
FROM debian:12 AS build
WORKDIR /src
COPY tools/install-deps tools/install-deps
RUN tools/install-deps
COPY . .
RUN deploy/docker/build-binary /out fieldwork-attendance fieldwork-health-probe

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
# The service, and the gRPC health client its container health check runs.
COPY --from=build /out/bin/ /usr/local/bin/
USER 65532:65532
# gRPC, then HTTP /metrics and /healthz.
EXPOSE 50052 9092
# SIGTERM: health turns NOT_SERVING, in-flight RPCs drain for up to --shutdown-grace.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/fieldwork-attendance"]
