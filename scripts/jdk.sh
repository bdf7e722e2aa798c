# Sourced by the project's scripts: make JAVA_HOME point at a JDK whose release is >= 21.
# `java` on the machines we target is JDK 17; a newer JDK is usually installed beside it. The search is
# the distribution's own (deploy/src/dist/bin/java-home.sh), restricted to full JDKs because we compile.
PONTOON_REQUIRE_JDK=1 . "$(dirname "${BASH_SOURCE[0]}")/../deploy/src/dist/bin/java-home.sh"
