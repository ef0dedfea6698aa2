//! The operator's commands: `backup`, `restore`, and `delete` / `purge` for
//! data-protection requests. Each checks its input before it touches a
//! database, says what it did on standard output, and logs without personal
//! data (references and counts only). docs/operations.md describes them.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::config::{BackupArgs, DeleteArgs, PurgeArgs, RestoreArgs};
use crate::private_files;
use crate::store::{self, Store};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Opens the database at `url`, which must exist (an operation never
/// creates an empty one by mistake).
pub(crate) async fn open_existing(url: &str) -> Result<Store> {
    if let Some(file) = store::sqlite_file(url)? {
        if !file.is_file() {
            bail!(
                "{}",
                store::why_sqlite_cannot_open(&file, true).unwrap_or_else(|| format!(
                    "there is no database at {} (check --database-url or DATABASE_URL)",
                    file.display()
                ))
            );
        }
    }
    Store::connect(url, false).await
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("flushing {} to disk", path.display()))
}

/// `imrf-endpoint backup --to FILE`.
pub async fn backup(args: BackupArgs) -> Result<()> {
    let to = &args.to;
    if store::sqlite_file(&args.db.database_url)?.is_none() {
        bail!(
            "backup copies a SQLite database; back up PostgreSQL with pg_dump (docs/operations.md)"
        );
    }
    if to.exists() {
        bail!(
            "{} already exists: a backup never overwrites a file; choose a new name",
            to.display()
        );
    }
    private_files::parent_of(to)?;
    // Claims the name (and proves the folder is writable) before the
    // database is opened.
    private_files::create_private(to)
        .with_context(|| format!("cannot write the backup file {}", to.display()))?;
    let result = async {
        // Read-only: a backup never changes the database, and works on one
        // this user cannot write (the service's).
        let store = Store::open_read_only(&args.db.database_url).await?;
        let done = store.backup_into(to).await;
        store.close().await;
        done?;
        sync_file(to)?;
        store::check_sqlite_backup(to)
            .await
            .context("the backup written does not read back")
    }
    .await;
    match result {
        Ok(info) => {
            tracing::info!(rows = info.rows, "backup written");
            println!(
                "backup: {} submissions written to {}",
                info.rows,
                to.display()
            );
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(to);
            Err(e)
        }
    }
}

/// Checks that `from` is a SQLite file holding this endpoint's table.
async fn check_backup_file(from: &Path) -> Result<store::BackupInfo> {
    let mut magic = [0u8; 16];
    let mut file =
        File::open(from).with_context(|| format!("cannot read the backup {}", from.display()))?;
    if file.read_exact(&mut magic).is_err() || &magic != SQLITE_MAGIC {
        bail!(
            "{} is not a SQLite database (expected a file written by `imrf-endpoint backup`); \
             nothing was changed",
            from.display()
        );
    }
    store::check_sqlite_backup(from).await.with_context(|| {
        format!(
            "{} is not a usable backup; nothing was changed",
            from.display()
        )
    })
}

/// Moves `file` and its `-wal`/`-shm` companions to `<file>.replaced-<time>`.
fn move_aside(file: &Path) -> Result<PathBuf> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .expect("formatting a UTC time cannot fail");
    let aside = PathBuf::from(format!("{}.replaced-{stamp}", file.display()));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", file.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&from, &to)
                .with_context(|| format!("moving {} aside", from.display()))?;
        }
    }
    Ok(aside)
}

/// Whether a process holds a lock on `file`. SQLite's connections in WAL
/// mode (the server's) keep a shared lock on the database file and on its
/// `-shm` for as long as they are open; asking (`F_GETLK`) takes no lock.
/// This process holds none on these files, so any lock is another's.
fn locked_elsewhere(file: &Path) -> Result<bool> {
    use std::os::fd::AsRawFd;
    let f = match File::open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("opening {}", file.display())),
    };
    // SAFETY: `flock` is plain data; all zeros is a valid value.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = 0;
    // 0: from the start to any length, SQLite's lock bytes beyond the end included.
    lock.l_len = 0;
    // SAFETY: a valid open descriptor and a pointer to a live `flock`.
    let rc = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_GETLK, &mut lock) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error())
            .with_context(|| format!("asking whether {} is in use", file.display()));
    }
    Ok(i32::from(lock.l_type) != libc::F_UNLCK)
}

/// Refuses to replace a database another process has open: a running
/// server would go on writing to the file moved aside, and every
/// submission it acknowledged afterwards would be missing from the new one.
fn refuse_if_open(target: &Path) -> Result<()> {
    let shm = PathBuf::from(format!("{}-shm", target.display()));
    if locked_elsewhere(target)? || locked_elsewhere(&shm)? {
        bail!(
            "{} is open in another process: stop the server first \
             (systemctl stop imrf-endpoint), then restore; nothing was changed",
            target.display()
        );
    }
    Ok(())
}

/// Gives `new` the owner, group and mode of `old`, the file it replaces.
fn keep_owner_and_mode(old: &Path, new: &Path) -> Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let was = std::fs::metadata(old).with_context(|| format!("reading {}", old.display()))?;
    let is = std::fs::metadata(new)?;
    if (is.uid(), is.gid()) != (was.uid(), was.gid()) {
        std::os::unix::fs::chown(new, Some(was.uid()), Some(was.gid())).with_context(|| {
            format!(
                "giving the restored database the owner of {} (uid {}, gid {})",
                old.display(),
                was.uid(),
                was.gid()
            )
        })?;
    }
    std::fs::set_permissions(new, std::fs::Permissions::from_mode(was.mode() & 0o7777))
        .with_context(|| format!("giving the restored database the mode of {}", old.display()))
}

/// `imrf-endpoint restore --from BACKUP [--database-url TARGET] [--replace]`.
pub async fn restore(args: RestoreArgs) -> Result<()> {
    let Some(target) = store::sqlite_file(&args.db.database_url)? else {
        bail!("restore writes a SQLite database; restore PostgreSQL with pg_restore or psql");
    };
    let info = check_backup_file(&args.from).await?;
    if target.exists() && !args.replace {
        bail!(
            "{} exists: stop the server, then add --replace to put the backup in its place \
             (the current file is kept next to it); nothing was changed",
            target.display()
        );
    }
    if target.exists() {
        refuse_if_open(&target)?;
    }
    let dir = private_files::parent_of(&target)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "database".into());
    let temp = dir.join(format!(".{name}.restoring-{}", uuid::Uuid::new_v4()));
    let prepared = async {
        // The scratch copy holds every submission: owner only, as the backup.
        private_files::create_private(&temp)
            .with_context(|| format!("cannot write the scratch file {}", temp.display()))?;
        store::copy_sqlite(&args.from, &temp).await?;
        // What goes live must be exactly this endpoint's schema: a crafted
        // trigger or view would run in the server.
        store::check_sqlite_schema(&temp)
            .await
            .with_context(|| format!("{} is not a usable backup", args.from.display()))?;
        // Brings an older backup up to this version's schema.
        let store = Store::connect(&temp.to_string_lossy(), false).await?;
        store.close().await;
        sync_file(&temp)?;
        if target.exists() {
            // The service must still be able to write it (restore as root).
            keep_owner_and_mode(&target, &temp)?;
            // Once more, right before the swap.
            refuse_if_open(&target)?;
        }
        Ok::<_, anyhow::Error>(())
    }
    .await;
    if let Err(e) = prepared {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", temp.display()));
        }
        return Err(e.context(format!(
            "restoring into {}; nothing was changed",
            target.display()
        )));
    }
    let aside = if target.exists() {
        Some(move_aside(&target)?)
    } else {
        None
    };
    std::fs::rename(&temp, &target)
        .with_context(|| format!("moving the restored database to {}", target.display()))?;
    private_files::sync_dir(&dir);
    tracing::info!(rows = info.rows, "database restored from a backup");
    println!(
        "restore: {} submissions from {} are now in {}",
        info.rows,
        args.from.display(),
        target.display()
    );
    if let Some(aside) = aside {
        println!(
            "restore: the previous database was moved to {}",
            aside.display()
        );
    }
    Ok(())
}

/// A reference as the form shows it (`IMRF-` and 8 Crockford base32
/// characters), upper-cased; `None` if it is not one.
pub fn canonical_reference(raw: &str) -> Option<String> {
    let r = raw.trim().to_ascii_uppercase();
    let code = r.strip_prefix("IMRF-")?;
    (code.len() == 8
        && code
            .bytes()
            .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)))
    .then_some(r)
}

/// `imrf-endpoint delete --reference REF`.
pub async fn delete(args: DeleteArgs) -> Result<()> {
    let Some(reference) = canonical_reference(&args.reference) else {
        bail!(
            "--reference {:?} is not a reference: expected IMRF- and 8 letters or digits, \
             e.g. IMRF-7K2M9QXA",
            args.reference
        );
    };
    let store = open_existing(&args.db.database_url).await?;
    let deleted = store.delete_reference(&reference).await;
    store.close().await;
    if !deleted? {
        bail!("no submission has the reference {reference}; nothing was deleted");
    }
    tracing::info!(%reference, "submission deleted on request");
    println!("delete: {reference} deleted");
    Ok(())
}

/// `imrf-endpoint purge --before DATE [--dry-run]`.
pub async fn purge(args: PurgeArgs) -> Result<()> {
    let before = crate::export::parse_since(&args.before).map_err(|_| {
        anyhow::anyhow!(
            "--before {:?}: expected a date like 2026-01-01 or an RFC 3339 time",
            args.before
        )
    })?;
    // Stored timestamps are fixed-width UTC, so text order is time order.
    if before > store::now_rfc3339() {
        bail!(
            "--before {} is in the future: it would delete submissions that are not old yet; \
             nothing was deleted",
            args.before.trim()
        );
    }
    let store = open_existing(&args.db.database_url).await?;
    let n = store.purge_before(&before, args.dry_run).await;
    store.close().await;
    let n = n?;
    if args.dry_run {
        println!("purge: {n} submissions received before {before} would be deleted (dry run)");
    } else {
        tracing::info!(rows = n, before = %before, "submissions purged");
        println!("purge: {n} submissions received before {before} deleted");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::canonical_reference;

    #[test]
    fn references() {
        assert_eq!(
            canonical_reference(" imrf-7k2m9qxa ").as_deref(),
            Some("IMRF-7K2M9QXA")
        );
        assert_eq!(canonical_reference("IMRF-7K2M9QX"), None);
        assert_eq!(canonical_reference("IMRF-7K2M9QXU"), None); // no U in Crockford
        assert_eq!(canonical_reference("7K2M9QXA"), None);
        assert_eq!(canonical_reference("IMRF-7K2M9QXA'; --"), None);
    }
}
