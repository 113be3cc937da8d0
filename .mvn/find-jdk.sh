# Sourced (not run) by ./mvnw, .ci/run and ./skewless: makes JAVA_HOME point at a JDK >= 21.
# The machines we run on have Java 17 as the default `java` and a newer JDK beside it, so a
# plain `mvn` or `java` would pick the wrong one.
skewless_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
skewless_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(skewless_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  case $- in *f*) skewless_noglob=1; set +f ;; *) skewless_noglob= ;; esac
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2*-jdk* /usr/lib/jvm/java-2*-openjdk* /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    v=$(skewless_java_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      [ -z "$skewless_noglob" ] || set -f
      return 0
    fi
  done
  [ -z "$skewless_noglob" ] || set -f
  echo "skewless: no JDK >= 21 found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
  return 1
}
skewless_find_jdk
