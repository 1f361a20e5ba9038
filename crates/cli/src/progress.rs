//! A one-line progress bar on stderr for long runs (ensembles, sweeps,
//! optimisation), drawn only on a terminal.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Redraws every 200 ms until `done`: percentage, count, rate and ETA.
pub fn bar(progress: &AtomicU64, done: &AtomicBool, total: u64, started: Instant, unit: &str) {
    let mut last_len: usize = 0;
    loop {
        let finished = done.load(Ordering::Relaxed);
        let n = progress.load(Ordering::Relaxed).min(total);
        let secs = started.elapsed().as_secs_f64();
        let rate = n as f64 / secs.max(1e-9);
        let eta = if n > 0 && rate > 0.0 {
            format_secs((total - n) as f64 / rate)
        } else {
            "--:--".into()
        };
        let frac = if total == 0 {
            1.0
        } else {
            n as f64 / total as f64
        };
        let width = 24;
        let filled = ((frac * width as f64) as usize).min(width);
        let line = format!(
            "[{}{}] {:>5.1}% {n}/{total} {unit}  {:.0} {unit}/s  ETA {eta}",
            "#".repeat(filled),
            ".".repeat(width - filled),
            frac * 100.0,
            rate
        );
        let pad = last_len.saturating_sub(line.len());
        eprint!("\r{line}{}", " ".repeat(pad));
        last_len = line.len();
        if finished {
            eprint!("\r{}\r", " ".repeat(last_len));
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn format_secs(s: f64) -> String {
    let s = s.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
