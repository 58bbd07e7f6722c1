# One image per service: docker build --build-arg SERVICE=upload-service -t syncbox/upload-service .
# SERVICE is one of upload-service, download-service, sync-service, conflict-engine, indexer-job.

FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -n "${SERVICE}" || (echo "--build-arg SERVICE=<module> is required" >&2; exit 1)
# -pl/-am: build the service and the modules it depends on, nothing else;
# -pl :artifactId finds the module wherever its folder is (conflict-engine/service for conflict-engine).
RUN ./mvnw -B -DskipTests -pl ":${SERVICE}" -am package \
 && cp "$(find . -path "*/target/${SERVICE}-0.1.0-SNAPSHOT-exec.jar" | head -n 1)" /app.jar

FROM eclipse-temurin:17-jre
ARG SERVICE
LABEL org.opencontainers.image.title="syncbox ${SERVICE}"
# curl for the HEALTHCHECK below and compose's healthchecks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin syncbox
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
USER syncbox
ENV SERVER_PORT=8080
# the services bind to loopback unless told otherwise; a container is reached through its network
ENV SYNCBOX_BIND_ADDRESS=0.0.0.0
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health" >/dev/null || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
