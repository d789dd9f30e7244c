# Sourced by the other scripts: makes sure a Go toolchain is on PATH on a
# fresh Debian machine, and offers need_debian_packages.
set -euo pipefail

need_debian_packages() {
	local missing=()
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "fruix: installing Debian packages: ${missing[*]}" >&2
		local sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		$sudo apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
	fi
}

if ! command -v go >/dev/null 2>&1; then
	if [ -x /usr/local/go/bin/go ]; then
		export PATH="/usr/local/go/bin:$PATH"
	else
		# Debian 12's own Go is too old to build Fruix, but any Go >= 1.21
		# fetches the toolchain go.mod asks for through the module proxy.
		need_debian_packages ca-certificates git
		if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
			echo "deb http://deb.debian.org/debian bookworm-backports main" >/etc/apt/sources.list.d/fruix-backports.list
		fi
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports golang-1.23-go >&2
		export PATH="/usr/lib/go-1.23/bin:$PATH"
	fi
fi
# Let an older Go switch to the version go.mod names.
export GOTOOLCHAIN="${GOTOOLCHAIN_OVERRIDE:-auto}"
export PATH="$(go env GOPATH)/bin:$PATH"
