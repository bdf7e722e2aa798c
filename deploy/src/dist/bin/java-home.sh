# Sourced by bin/pontoon-server and bin/pontoon: make JAVA_HOME point at a Java runtime whose release is
# >= 21 (same search as the source tree's scripts/jdk.sh, but a JRE is enough here).
# Order: $PONTOON_JAVA_HOME, $JAVA_HOME, /usr/lib/jvm/*, /opt/java/*, /opt/jdk*, then `java` on PATH.
# Exports JAVA_HOME, PATH and PONTOON_JAVA_MAJOR (e.g. 21, 25).
# With PONTOON_REQUIRE_JDK=1 (the source tree's scripts/jdk.sh) only full JDKs (bin/javac) qualify.
pontoon_java_major() {
  # A JDK's `release` file names its version; reading it costs nothing, starting a JVM costs ~50 ms each.
  local version=""
  if [ -f "$1/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  fi
  if [ -z "$version" ]; then
    version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  fi
  version=${version#1.}   # 1.8.0_392 -> 8.0_392
  echo "${version%%[._-]*}"
}
pontoon_find_java() {
  local candidate major on_path=""
  if command -v java >/dev/null 2>&1; then
    on_path=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  for candidate in "${PONTOON_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$on_path"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "${PONTOON_REQUIRE_JDK:-0}" = 1 ] && [ ! -x "$candidate/bin/javac" ]; then
      continue
    fi
    major=$(pontoon_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      echo "$candidate $major"; return 0
    fi
  done
  return 1
}
if ! _pontoon_found=$(pontoon_find_java); then
  echo "pontoon: needs Java 21 or newer (none found in PONTOON_JAVA_HOME, JAVA_HOME, /usr/lib/jvm, /opt/java, /opt/jdk*, PATH)." >&2
  echo "pontoon: on Debian/Ubuntu: apt-get install openjdk-21-jre-headless (openjdk-21-jdk-headless to build from source), or install Temurin 21+, or set PONTOON_JAVA_HOME." >&2
  exit 1
fi
JAVA_HOME=${_pontoon_found% *}
PONTOON_JAVA_MAJOR=${_pontoon_found##* }
unset _pontoon_found
export JAVA_HOME PONTOON_JAVA_MAJOR
export PATH="$JAVA_HOME/bin:$PATH"
