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
prime init "$tmp/repo" --repo acme/api >/dev/null
prime init "$tmp/org" --org --repo acme/prime-org >/dev/null
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
check-jsonschema --builtin-schema vendor.github-workflows "${own[@]}" "${rendered[@]}"

zizmor --offline --pedantic --no-progress --quiet action.yml "${own[@]}"

# Rendered workflows use Prime's action by its published major tag (DEFAULT_ACTION_REF):
# there is no commit SHA to pin before a release exists, and its publisher is the one who
# moves the tag. Users who want a hash pin pass `prime init --action-ref OWNER/NAME@SHA`.
# Every other action stays held to zizmor's defaults.
owner="$(python -c 'from prime_action.workflows import DEFAULT_ACTION_REF as r; print(r.split("/")[0])')"
cat > "$tmp/zizmor.yml" <<YAML
rules:
  unpinned-uses:
    config:
      policies:
        "${owner}/*": ref-pin
        "actions/*": ref-pin
        "github/*": ref-pin
        "*": hash-pin
YAML
zizmor --offline --pedantic --no-progress --quiet --config "$tmp/zizmor.yml" "${rendered[@]}"
