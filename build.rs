//! Build script: generates the Orc parser from `grammar/orc.lalrpop` into
//! `OUT_DIR` (included by `src/syntax/parser.rs`).

fn main() {
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .emit_rerun_directives(true)
        .process()
        .expect("failed to generate the parser from grammar/orc.lalrpop");
}
