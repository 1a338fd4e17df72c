//! Files: `ReadFile(path)` publishes a file's text; `WriteFile(path,
//! text)` and `AppendFile(path, text)` write it (creating the file) and
//! publish `signal`; `ListDir(path)` publishes the sorted list of the
//! names in a directory. Relative paths are from the working directory.
//! Each fails with an error naming the operation, the path and the cause;
//! a file longer than the limit of a string is refused.

use super::{failed, plain, AsyncFunc, Call};
use crate::sites::util::{arity, str_arg};
use crate::value::limits::MAX_STRING_BYTES;
use crate::value::site::{Outcome, Site, SiteError};
use crate::value::Value;
use std::sync::Arc;

pub(crate) fn sites() -> Vec<Arc<dyn Site>> {
    vec![
        Arc::new(AsyncFunc {
            name: "ReadFile",
            start: read_file,
        }),
        Arc::new(AsyncFunc {
            name: "WriteFile",
            start: |args| write_file("WriteFile", args, false),
        }),
        Arc::new(AsyncFunc {
            name: "AppendFile",
            start: |args| write_file("AppendFile", args, true),
        }),
        Arc::new(AsyncFunc {
            name: "ListDir",
            start: list_dir,
        }),
    ]
}

fn read_file(args: &[Value]) -> Result<Call, SiteError> {
    let [path] = arity::<1>("ReadFile", args)?;
    let path = str_arg("ReadFile", path)?.to_string();
    Ok(Box::pin(async move {
        let cannot = |e: std::io::Error| failed(format!("ReadFile: cannot read `{path}`: {e}"));
        match tokio::fs::metadata(&path).await {
            Ok(m) if m.len() > MAX_STRING_BYTES as u64 => {
                return failed(format!(
                    "ReadFile: `{path}` is longer than the limit of {MAX_STRING_BYTES} bytes for strings"
                ))
            }
            Ok(_) => {}
            Err(e) => return cannot(e),
        }
        match tokio::fs::read(&path).await {
            Ok(bytes) => Outcome::Publish(Value::str(&String::from_utf8_lossy(&bytes))),
            Err(e) => cannot(e),
        }
    }))
}

fn write_file(name: &'static str, args: &[Value], append: bool) -> Result<Call, SiteError> {
    let [path, text] = arity::<2>(name, args)?;
    let (path, text) = (str_arg(name, path)?.to_string(), plain(text));
    Ok(Box::pin(async move {
        use tokio::io::AsyncWriteExt;
        let result = async {
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(append)
                .truncate(!append)
                .open(&path)
                .await?;
            file.write_all(text.as_bytes()).await?;
            file.flush().await
        }
        .await;
        match result {
            Ok(()) => Outcome::Publish(Value::Signal),
            Err(e) => failed(format!("{name}: cannot write `{path}`: {e}")),
        }
    }))
}

fn list_dir(args: &[Value]) -> Result<Call, SiteError> {
    let [path] = arity::<1>("ListDir", args)?;
    let path = str_arg("ListDir", path)?.to_string();
    Ok(Box::pin(async move {
        let result = async {
            let mut names = Vec::new();
            let mut dir = tokio::fs::read_dir(&path).await?;
            while let Some(entry) = dir.next_entry().await? {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
            Ok::<_, std::io::Error>(names)
        }
        .await;
        match result {
            Ok(mut names) => {
                names.sort();
                Outcome::Publish(Value::list(names.iter().map(|n| Value::str(n))))
            }
            Err(e) => failed(format!("ListDir: cannot list `{path}`: {e}")),
        }
    }))
}
