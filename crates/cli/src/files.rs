//! Output files written whole or not at all, never over the command's own
//! inputs, and cleaned up when the run is interrupted (Ctrl-C, SIGTERM).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

/// Set by the first SIGINT or SIGTERM; a second one ends the process at once.
pub fn stop_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Registered first, so the second signal (the flag already set) exits.
            let _ = signal_hook::flag::register_conditional_shutdown(signal, 2, flag.clone());
            let _ = signal_hook::flag::register(signal, flag.clone());
        }
        flag
    })
    .clone()
}

/// Refuses an output path that names one of the command's inputs.
pub fn refuse_overwriting_inputs(out: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let Some(target) = canonical(out) else {
        return Ok(()); // does not exist yet: it is no input
    };
    for input in inputs {
        if canonical(input).as_deref() == Some(target.as_path()) {
            anyhow::bail!(
                "--out {} is one of the inputs: refusing to write over it",
                out.display()
            );
        }
    }
    Ok(())
}

/// A file that appears under its name only when `commit` is called: it is
/// written beside the target as `NAME.partial` (visible, so that a killed
/// run's leftovers are seen) and removed if dropped uncommitted.
pub struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> anyhow::Result<AtomicFile> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| anyhow::anyhow!("{}: not a file name", target.display()))?;
        let tmp = target.with_file_name(format!("{name}.partial"));
        let file = File::create(&tmp)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", tmp.display()))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            tmp,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer.as_mut().expect("not committed")
    }

    /// Flushes and renames the file to its name.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let mut w = self.writer.take().expect("not committed");
        w.flush()
            .and_then(|_| std::fs::rename(&self.tmp, &self.target))
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", self.target.display()))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
