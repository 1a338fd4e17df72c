//! Fuzzes the front end: lexing and parsing arbitrary UTF-8 text must end
//! in a program or a diagnostic, never a panic, a stack overflow or a hang.
//! What parses is also desugared, as `orc check` would.

#![no_main]

use libfuzzer_sys::fuzz_target;
use orc::diagnostics::SourceId;

fuzz_target!(|text: &str| {
    if let Ok(program) = orc::syntax::parse_program(text, SourceId(0)) {
        let _ = orc::compile::desugar::desugar_program(&program);
    }
});
