#!/usr/bin/env bash
# The static checks, as `npm run check` and CI (scripts/test.sh, after the type check) run them:
#   lint          ESLint with typescript-eslint's type-aware rules and the boundary rules (eslint.config.mjs)
#   format:check  Prettier (.prettierrc, .prettierignore)
#   deps          dependency-cruiser: no import cycles, which folder may import which (.dependency-cruiser.cjs)
# All three always run; each prints one line, its full output goes to $STATE/check/<name>.log. Exits 1 when any
# of them failed. The commands themselves are the package.json scripts of the same names (`npm run lint` shows
# every problem).
set -uo pipefail
LOG_TAG=check
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"

mkdir -p "$STATE/check"
failed=0
for name in lint format:check deps; do
  out="$STATE/check/${name/:/-}.log"
  if npm run --silent "$name" >"$out" 2>&1; then result=ok; else result=failed; failed=1; fi
  # Each tool ends with its own summary line ("✖ 31 problems (31 errors, 0 warnings)", "Code style issues found
  # in 93 files", "x 6 dependency violations (6 errors, 0 warnings). ..."); quote it, or say that it said nothing.
  summary="$(grep -E 'problems? \(|Code style|All matched files|dependency violations|no dependency' "$out" | tail -n 1 |
    sed -e 's/^\[warn\] //' -e 's/^[[:space:]]*//' -e 's/ Run Prettier with --write to fix\.$//')"
  log "$name: $result${summary:+ ($summary)}$([ "$result" = failed ] && printf ', see %s' "$out")"
done
exit "$failed"
