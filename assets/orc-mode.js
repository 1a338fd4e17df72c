// Orc syntax highlighting for CodeMirror 6 (a StreamLanguage mode): line
// comments `--`, nested block comments `{- -}`, strings, numbers, keywords,
// the combinators and the sites (capitalised names). Ours; loaded after
// assets/vendor/codemirror.js, it sets window.orcLanguage.
(function () {
  "use strict";
  const keywords = new Set([
    "as", "class", "def", "else", "extends", "if", "import", "include",
    "lambda", "site", "stop", "super", "then", "this", "type", "val", "new", "with",
  ]);
  const atoms = new Set(["true", "false", "null", "signal"]);

  // Inside a block comment: skips to its end, counting nested ones.
  function blockComment(stream, state) {
    while (!stream.eol()) {
      if (stream.match("{-")) {
        state.depth++;
      } else if (stream.match("-}")) {
        state.depth--;
        if (state.depth === 0) return "comment";
      } else {
        stream.next();
      }
    }
    return "comment";
  }

  const orc = {
    name: "orc",
    startState: () => ({ depth: 0, afterDef: false }),
    token(stream, state) {
      if (state.depth > 0) return blockComment(stream, state);
      if (stream.eatSpace()) return null;
      if (stream.match("{-")) {
        state.depth = 1;
        return blockComment(stream, state);
      }
      if (stream.match("--")) {
        stream.skipToEnd();
        return "comment";
      }
      if (stream.peek() === '"') {
        stream.next();
        let escaped = false;
        let ch;
        while ((ch = stream.next()) != null) {
          if (ch === '"' && !escaped) break;
          escaped = !escaped && ch === "\\";
        }
        return "string";
      }
      if (stream.match(/^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) return "number";
      const word = stream.match(/^[A-Za-z_][A-Za-z0-9_']*/);
      if (word) {
        const w = word[0];
        const wasDef = state.afterDef;
        state.afterDef = w === "def" || w === "val" || w === "site" || w === "class" || w === "type";
        if (keywords.has(w)) return "keyword";
        if (atoms.has(w)) return "atom";
        if (wasDef) return "def";
        if (/^[A-Z]/.test(w)) return "typeName";
        return "variableName";
      }
      state.afterDef = false;
      // The combinators, with their patterns: >x>, <x<, |, ;, and >>.
      if (stream.match(/^(>>|<<|\||;)/)) return "controlOperator";
      if (stream.match(/^[>]/)) return "controlOperator";
      if (stream.match(/^[<]/)) return "controlOperator";
      if (stream.match(/^(:=|\/=|<=|>=|<:|:>|&&|\|\||\*\*|[-+*\/%=~?:!.])/)) return "operator";
      if (stream.match(/^[()[\]{},]/)) return "bracket";
      stream.next();
      return null;
    },
    languageData: {
      commentTokens: { line: "--", block: { open: "{-", close: "-}" } },
    },
  };

  const t = CM.tags;
  window.orcLanguage = CM.StreamLanguage.define(orc);
  window.orcHighlight = CM.HighlightStyle.define([
    { tag: t.keyword, color: "#cf222e", fontWeight: "600" },
    { tag: t.atom, color: "#0550ae" },
    { tag: t.number, color: "#0550ae" },
    { tag: t.string, color: "#0a3069" },
    { tag: t.comment, color: "#6e7781", fontStyle: "italic" },
    { tag: t.definition(t.variableName), color: "#8250df", fontWeight: "600" },
    { tag: t.typeName, color: "#953800" },
    { tag: t.controlOperator, color: "#116329", fontWeight: "700" },
    { tag: t.operator, color: "#1f2328" },
  ]);
})();
