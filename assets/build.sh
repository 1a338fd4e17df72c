#!/usr/bin/env bash
# Bundles CodeMirror 6 into one minified file, assets/vendor/codemirror.js,
# which is checked in: `cargo build` needs neither Node nor the network, and
# `orc serve` serves the file from the binary (include_bytes!).
#
# Run it only to upgrade CodeMirror:  bash assets/build.sh
# It needs node and npm, and the npm registry. The versions are pinned here;
# the bundle's first line says which were used.
#
# The bundle exposes a global `CM` with the pieces the playground uses
# (assets/app.js); the Orc language mode is ours, in assets/orc-mode.js.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

versions=(
  "@codemirror/state@6.7.6"
  "@codemirror/view@6.44.2"
  "@codemirror/language@6.13.1"
  "@codemirror/commands@6.11.2"
  "@codemirror/lint@6.9.8"
  "esbuild@0.28.2"
)

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact "${versions[@]}" >/dev/null

cat > entry.js <<'JS'
export { EditorState, StateEffect, StateField } from "@codemirror/state";
export {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, Decoration
} from "@codemirror/view";
export {
  StreamLanguage, syntaxHighlighting, HighlightStyle, defaultHighlightStyle,
  bracketMatching, indentOnInput, indentUnit
} from "@codemirror/language";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { linter, lintGutter, setDiagnostics } from "@codemirror/lint";
export { tags } from "@lezer/highlight";
JS

npx esbuild entry.js --bundle --minify --format=iife --global-name=CM \
  --legal-comments=none --target=es2020 --outfile=bundle.js

{
  echo "/* CodeMirror 6 for the Orc playground, bundled by assets/build.sh: ${versions[*]:0:5}. MIT licensed, (c) Marijn Haverbeke and others; see https://codemirror.net. */"
  cat bundle.js
} > "$here/vendor/codemirror.js"
ls -l "$here/vendor/codemirror.js"
