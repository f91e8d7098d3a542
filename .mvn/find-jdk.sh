# Sourced by ./steward and ./mvnw: make JAVA_HOME point at a JDK >= 21.
# Order: JAVA_HOME, java on PATH, then /usr/lib/jvm/*. Exits with install advice when none is found.
steward_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
steward_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")" 2>/dev/null)" \
                   $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(steward_java_major "$candidate")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! STEWARD_JDK="$(steward_find_jdk)"; then
  echo "Steward needs a JDK 21 or newer (found none in JAVA_HOME, PATH or /usr/lib/jvm)." >&2
  echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless' (Debian/Ubuntu) or Temurin 21/25 from adoptium.net," >&2
  echo "then re-run, or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$STEWARD_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
