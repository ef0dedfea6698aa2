//! Rows of `docs/hostile-input.md`: each hostile-input or fault test states
//! its case and the outcome it observed; `scripts/hostile-table.sh` runs the
//! tests with `IMRF_HOSTILE_ROWS` set and writes the table from the rows.

#![allow(dead_code)]

use std::io::Write;

pub fn record(area: &str, case: &str, outcome: &str) {
    let Ok(path) = std::env::var("IMRF_HOSTILE_ROWS") else {
        return;
    };
    let clean = |s: &str| s.replace(['\t', '\n'], " ").replace('|', "\\|");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("rows file");
    // One write per row: tests run in parallel, and `writeln!` may write a
    // row in pieces that another test's row would split.
    let row = format!("{}\t{}\t{}\n", clean(area), clean(case), clean(outcome));
    f.write_all(row.as_bytes()).expect("write row");
}

/// Starts the real binary with extra environment and a hook on its
/// `Command` (for resource limits), sharing `common::Server`'s clean-up.
pub fn start_server(
    db: &super::common::TestDb,
    env: &[(&str, &str)],
    customize: impl FnOnce(&mut std::process::Command),
) -> super::common::Server {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let log = db
        .dir
        .path()
        .join(format!("server-{}.log", uuid::Uuid::new_v4()));
    let mut cmd = super::common::command();
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        &db.url(),
    ])
    .envs(env.iter().copied())
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::from(std::fs::File::create(&log).unwrap()));
    customize(&mut cmd);
    let mut child = cmd.spawn().expect("spawn imrf-endpoint");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(line)) = lines.next() {
            let _ = tx.send(line);
        }
        for _ in lines {}
    });
    let line = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_else(|_| {
            let _ = child.kill();
            panic!(
                "no address; log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            )
        });
    let base = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    super::common::Server {
        child: Some(child),
        base,
        log,
    }
}
