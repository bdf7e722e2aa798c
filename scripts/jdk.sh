# Sourced by the project's scripts: make JAVA_HOME point at a JDK whose release is >= 21.
# `java` on the machines we target is JDK 17; a newer JDK is usually installed beside it.
pontoon_find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
if ! JAVA_HOME=$(pontoon_find_jdk); then
  echo "Pontoon needs a JDK 21 or newer (found none under JAVA_HOME or /usr/lib/jvm)." >&2
  echo "On Debian: apt-get install openjdk-21-jdk-headless, or install Temurin 21+." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
