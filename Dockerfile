# syntax=docker/dockerfile:1

# ---- build: the Spring Boot jar and Py4J's Python half (both produced by the Maven build) ----
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml atlassian-connect.json ./
# Dependencies first, so a source change does not download the world again.
RUN mvn -B -q dependency:go-offline -Dtriage.python.setup.skip=true
COPY src src
COPY python python
# The runtime stage builds its own Python environment for its own interpreter.
RUN mvn -B package -DskipTests -Dtriage.python.setup.skip=true

# ---- runtime: Java 17 JRE, Python 3 with the sidecar's pinned packages, non-root ----
# noble: its Python 3.12 satisfies numpy 2.3 (needs >= 3.11); jammy's 3.10 does not.
FROM eclipse-temurin:17-jre-noble
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin triage \
 && mkdir -p /app/python /data \
 && chown triage:triage /data
WORKDIR /app
# setup-venv.sh reads both requirement files (the test one only adds pytest).
COPY python/requirements.txt python/requirements-test.txt python/setup-venv.sh python/
RUN python/setup-venv.sh
COPY python/triage_ml python/triage_ml
COPY --from=build /src/target/py4j/python/py4j-src-*.zip python/
COPY --from=build /src/target/triage-assistant.jar app.jar

USER triage
# Ignite's persistence (data, WAL, checkpoints). Keep it on a volume: it is the app's only state.
VOLUME /data
# 8080 HTTP; 47500 Ignite discovery and 47100 Ignite communication, for instances forming one cluster.
EXPOSE 8080 47100 47500
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health || exit 1
# No JVM flags needed for Ignite: the jar's manifest carries its Add-Opens. Configuration arrives as arguments or a
# mounted application.yml; secrets never in environment variables (they leak into process listings and dumps).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-jar", "/app/app.jar", \
            "--spring.profiles.active=production", "--triage.ignite.work-dir=/data/ignite", \
            "--triage.ml.python=/app/.venv/bin/python", \
            "--triage.ml.python-path=/app/python,/app/python/py4j-src-0.10.9.7.zip"]
