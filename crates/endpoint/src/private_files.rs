//! Files that hold every submission (backups, exports, restore scratch
//! files): created private (0600) whatever the umask, and made durable.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// Creates `path`, which must not exist, readable and writable by its owner
/// only (0600) whatever the umask: backups, exports and restore scratch
/// files hold every submission.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    // A umask can only take bits away; this sets exactly 0600 again.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// The folder a new file goes into; it must exist.
pub fn parent_of(path: &Path) -> Result<PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        bail!("the folder {} does not exist", parent.display());
    }
    Ok(parent)
}

pub fn sync_dir(dir: &Path) {
    // Makes a rename durable; not every platform allows opening a folder.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
