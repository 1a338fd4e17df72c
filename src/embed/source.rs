//! Compiling and starting in one call ([`Engine::execute_str`]). A failed
//! compile is a [`CompileError`], which lives with the diagnostics it
//! carries (in [`crate::diagnostics`]) so that the engine and declarations
//! below this module can return it; it is re-exported here for hosts.

pub use crate::diagnostics::CompileError;
use crate::embed::Execution;
use crate::engine::Engine;
use crate::runtime::RunOptions;

impl Engine {
    /// Compiles `source` and starts running it (see [`Engine::execute`]).
    pub fn execute_str(
        &self,
        name: &str,
        source: &str,
        options: RunOptions,
    ) -> Result<Execution, CompileError> {
        let program = self.compile(name, source)?;
        Ok(self.execute(&program, options))
    }
}
