# Sourced by scripts/build and scripts/release: the version of this checkout.
#   VERSION   the release tag if HEAD is tagged (git describe), else
#             v0.0.0-<commit time>-<12 hex of the commit>, "-dirty" when the tree
#             has uncommitted changes; override with VERSION=...
#   REVISION  the full commit hash ("-dirty" appended likewise)
#   COMMIT_TIME  the commit time, RFC 3339 UTC
REVISION="$(git rev-parse HEAD)"
COMMIT_TIME="$(TZ=UTC git show -s --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ HEAD)"
COMMIT_EPOCH="$(git show -s --format=%ct HEAD)"
dirty=""
git diff --quiet HEAD -- 2>/dev/null || dirty="-dirty"
if [ -z "${VERSION:-}" ]; then
  if tag="$(git describe --tags --exact-match HEAD 2>/dev/null)"; then
    VERSION="$tag$dirty"
  elif tag="$(git describe --tags 2>/dev/null)"; then
    VERSION="$tag$dirty"
  else
    VERSION="v0.0.0-$(TZ=UTC git show -s --format=%cd --date=format-local:%Y%m%d%H%M%S HEAD)-$(git rev-parse --short=12 HEAD)$dirty"
  fi
fi
REVISION="$REVISION$dirty"
export VERSION REVISION COMMIT_TIME COMMIT_EPOCH

version_ldflags() {
  printf '%s' "-X main.buildVersion=$VERSION -X main.buildRevision=$REVISION -X main.buildTime=$COMMIT_TIME"
}
