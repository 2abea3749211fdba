#!/usr/bin/env bash
# The local default: bring up the stack (dockerd + a registry on localhost:5000), make a local GitOps
# repository from examples/gitops, then run the whole pipeline on examples/service: build and push with
# buildx, verify the digest at the registry, pin dev by a direct commit through the plain-git backend,
# and show the commit and its diff. Safe to run again: each run pins the newest build.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_DIR="${DIGESTPIN_DEMO_DIR:-/tmp/digestpin-demo}"
REGISTRY="localhost:${DIGESTPIN_REGISTRY_PORT:-5000}"
GITOPS="$DEMO_DIR/gitops.git"
export GIT_AUTHOR_NAME=digestpin-demo GIT_AUTHOR_EMAIL=demo@digestpin.invalid
export GIT_COMMITTER_NAME=digestpin-demo GIT_COMMITTER_EMAIL=demo@digestpin.invalid

bash scripts/stack.sh up
[ -f dist/cli.js ] || npm run build

if [ ! -d "$GITOPS" ]; then
  echo "[demo] ➡️ creating the local GitOps repository $GITOPS from examples/gitops"
  mkdir -p "$DEMO_DIR"
  seed=$(mktemp -d)
  cp -r examples/gitops/. "$seed/"
  git -C "$seed" init -q -b main
  git -C "$seed" add -A
  git -C "$seed" commit -qm "GitOps repository for the digestpin demo"
  git clone -q --bare "$seed" "$GITOPS"
  rm -rf "$seed"
fi

TAG="demo-$(date +%Y%m%d%H%M%S)"
echo "[demo] ➡️ shipping example-service as $REGISTRY/demo/example-service:$TAG to dev"
node dist/cli.js ship \
  --context examples/service \
  --platforms linux/amd64,linux/arm64 \
  --image demo/example-service --registry "$REGISTRY" --tag "$TAG" \
  --repo "$GITOPS" --config examples/gitops/digestpin.yaml --environment dev --service example-service \
  --mode direct

echo
echo "[demo] ✅ the GitOps repository now holds:"
git --git-dir="$GITOPS" log -1 --format='commit %H%n%s' main
git --git-dir="$GITOPS" show --format= main -- environments/dev/example-service/values.yaml
