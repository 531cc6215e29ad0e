# syntax=docker/dockerfile:1
# AI Gateway: the standalone launcher (embedded Jetty 12 serving the unchanged WAR) on a JRE.
#   docker build -t ai-gateway .
#   docker run -p 8080:8080 -e OPENAI_API_KEY -v "$PWD/conf/gateway.yaml:/etc/ai-gateway/gateway.yaml:ro" ai-gateway
# See docker-compose.yml for the gateway with MariaDB and Redis.

# --- build: the WAR and the standalone jar ---------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /build
# The dependencies first, in a layer of their own: it is rebuilt only when pom.xml changes.
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
COPY standalone-jetty ./standalone-jetty
RUN mvn -B -ntp -q -DskipTests package

# --- runtime: a JRE, a user without privileges, the jar, a default config ------------------------------------------
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /opt/ai-gateway --shell /usr/sbin/nologin gateway \
 && mkdir -p /opt/ai-gateway/data /opt/ai-gateway/logs /etc/ai-gateway \
 && chown gateway:gateway /opt/ai-gateway/data /opt/ai-gateway/logs
WORKDIR /opt/ai-gateway
COPY --from=build /build/target/ai-gateway-standalone.jar /opt/ai-gateway/ai-gateway-standalone.jar
# The quick-start config: keys come from the environment. Mount your own over it.
COPY conf/gateway.yaml /etc/ai-gateway/gateway.yaml
# data/: the gateway's state (the request store, once it lands); logs/: for logging.channels[] files, if used.
VOLUME ["/opt/ai-gateway/data", "/opt/ai-gateway/logs"]
USER gateway:gateway
EXPOSE 8080
# The heap follows the container's memory limit; G1, the default collector, is what the benchmark measured.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# /health is cheap and needs no key. bash's /dev/tcp: the JRE image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# exec: java is PID 1 and gets SIGTERM from 'docker stop' (graceful shutdown, 30 s grace: use 'docker stop -t 40').
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/ai-gateway/ai-gateway-standalone.jar \"$@\"", "--"]
CMD ["--config", "/etc/ai-gateway/gateway.yaml", "--addr", "0.0.0.0", "--port", "8080"]
