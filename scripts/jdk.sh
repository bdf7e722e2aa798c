# Sourced by the project's scripts: make JAVA_HOME point at a JDK whose release is >= 21.
# `java` on the machines we target is JDK 17; a newer JDK is usually installed beside it. The search is
# the distribution's own (deploy/src/dist/bin/java-home.sh), restricted to full JDKs because we compile.
PONTOON_REQUIRE_JDK=1 . "$(dirname "${BASH_SOURCE[0]}")/../deploy/src/dist/bin/java-home.sh"
# Maven's own Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every run; JDK 21-23 reject the option.
if [ "$PONTOON_JAVA_MAJOR" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
