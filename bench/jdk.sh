# Sourced by the bench scripts: JAVA_HOME set to a JDK 21 or newer (the machine's default
# java may be older), its bin first on the PATH.
find_jdk() {
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-* /usr/lib/jvm/*; do
		if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] \
			&& "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
			echo "$candidate"; return
		fi
	done
	return 1
}
JAVA_HOME=$(find_jdk) || { echo "bench: no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
