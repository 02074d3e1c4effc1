#!/usr/bin/env bash
# Lint the GitHub Actions files: action.yml, the project's own workflows, and every workflow
# template as `prime init` renders it for users.
#
# - check-jsonschema validates against schemastore's github-action and github-workflow
#   schemas, vendored inside check-jsonschema (no network).
# - zizmor audits them offline with its pedantic persona (issue 18). Any finding, of any
#   severity, fails: the files are small and every exception is written down beside the line
#   it excuses (`# zizmor: ignore[...]` with its reason), or in the config below.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Render every workflow template the way users get it.
mkdir "$tmp/repo" "$tmp/org"
# A release's stamp pins `uses:` to a commit; any 40-hex SHA renders the same way.
ref=0123456789abcdef0123456789abcdef01234567
prime init "$tmp/repo" --repo acme/api --ref "$ref" >/dev/null
prime init "$tmp/org" --org --repo acme/prime-org --ref "$ref" >/dev/null
# ... and the short callers of the reusable workflows (templates/workflows/callers/).
mkdir "$tmp/repo-caller" "$tmp/org-caller"
prime init "$tmp/repo-caller" --repo acme/api --ref "$ref" --reusable >/dev/null
prime init "$tmp/org-caller" --org --repo acme/prime-org --ref "$ref" --reusable >/dev/null
callers=("$tmp"/repo-caller/.github/workflows/*.yml "$tmp"/org-caller/.github/workflows/*.yml)
rendered=("$tmp"/repo/.github/workflows/*.yml "$tmp"/org/.github/workflows/*.yml)
templates=(templates/workflows/*.j2)
# The runner template renders twice (standalone and org), so count distinct file names.
names="$(printf '%s\n' "${rendered[@]##*/}" | sort -u | wc -l)"
if [ "$names" -ne "${#templates[@]}" ]; then
  echo "lint_actions: ${#templates[@]} workflow templates but $names rendered;" \
    "render the new template in scripts/lint_actions.sh" >&2
  exit 1
fi
own=(.github/workflows/*.yml)

check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.github-workflows "${own[@]}" "${rendered[@]}" "${callers[@]}"

zizmor --offline --pedantic --no-progress --quiet action.yml "${own[@]}"

# Rendered workflows pin every action, Prime's included, by commit SHA: zizmor's defaults.
zizmor --offline --pedantic --no-progress --quiet "${rendered[@]}" "${callers[@]}"
