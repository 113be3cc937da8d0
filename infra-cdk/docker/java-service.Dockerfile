# One skewless Java service from its runnable jar: the controller, or the sample api every
# AppVersion runs. The build context is the directory of the jar (small: no sources, no
# node_modules); the jar's file name comes in as JAR:
#   docker build -f infra-cdk/docker/java-service.Dockerfile --build-arg JAR=api-service.jar -t <repo>:<version> api-service/target
# The controller's task definition adds the command (`controller`); the api runs with none.
FROM eclipse-temurin:21-jre
# curl for the container health check of the controller's task definition (/health/liveness).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
ARG JAR
WORKDIR /app
COPY ${JAR} /app/app.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
