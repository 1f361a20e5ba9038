//! Ensemble output: a meta record, then the sampled plans, as JSON lines or
//! CSV; and merging shards of one ensemble.
//!
//! **JSON lines** (`.jsonl`): line 1 is the meta object
//! (`{"type":"meta",...}`); then, chain by chain in chain order, one
//! `{"type":"plan","chain":c,"step":s,"cut_edges":e,"max_dev":d,"pops":[...],"assignment":[...]}`
//! per recorded step (step 0 is the starting plan; then every `every` steps),
//! and one `{"type":"chain","chain":c,"steps":..,"moves":..,"trees":..,"pairs_dropped":..}`
//! closing each chain. `assignment` lists the bloc (0..k) of each node in
//! graph order; `pops` the population of each bloc; `max_dev` is
//! max |pop − ideal| / ideal, printed to 9 decimals.
//!
//! **CSV** (`.csv`): line 1 is `# meta ` followed by the same meta object;
//! line 2 the header `chain,step,cut_edges,max_dev,pop_0..pop_{k-1}` then one
//! column per node named by the node's name; then one row per recorded step.
//! (No per-chain closing rows.)
//!
//! Nothing in the output depends on the thread count or timing, so the same
//! parameters give byte-identical files.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::bounds::Bounds;
use crate::recom::ChainStats;
use fedsplit_core::graph::Graph;

/// Output format, chosen by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    /// `.jsonl` (or `.ndjson`) or `.csv`.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// Why output could not be written or shards merged.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Shard { path: String, message: String },
    #[error("{0}")]
    Merge(String),
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// sha256 of the graph: node names and populations in order, then each
/// undirected edge `v u` (v < u) in CSR order, as text.
pub fn graph_sha256(graph: &Graph) -> String {
    let mut h = Sha256::new();
    h.update(format!("nodes {}\n", graph.len()));
    for v in 0..graph.len() {
        h.update(format!("{}\t{}\n", graph.names[v], graph.pops[v]));
    }
    h.update(b"edges\n");
    for v in 0..graph.len() {
        for &u in graph.neighbors(v) {
            if (u as usize) > v {
                h.update(format!("{v} {u}\n"));
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The meta line's text (without newline) for `format`.
pub fn meta_line(meta: &Value, format: Format) -> String {
    let text = serde_json::to_string(meta).expect("meta serialises");
    match format {
        Format::Jsonl => text,
        Format::Csv => format!("# meta {text}"),
    }
}

/// The CSV header line (without newline), through `csv::Writer` so that a
/// unit name with a comma or quote (a grid cell is "r,c") is quoted, and one
/// starting with `#` too (it would read as a comment).
pub fn csv_header(graph: &Graph, k: usize) -> String {
    let mut fields: Vec<String> = ["chain", "step", "cut_edges", "max_dev"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    fields.extend((0..k).map(|b| format!("pop_{b}")));
    fields.extend(graph.names.iter().cloned());
    let mut w = csv::WriterBuilder::new()
        .comment(Some(b'#'))
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(&fields).expect("writing to memory");
    let mut text = String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8");
    text.pop(); // the terminator
    text
}

/// Appends `x` in decimal.
#[inline]
pub fn push_u64(buf: &mut Vec<u8>, mut x: u64) {
    if x < 10 {
        buf.push(b'0' + x as u8);
        return;
    }
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    while x > 0 {
        i -= 1;
        tmp[i] = b'0' + (x % 10) as u8;
        x /= 10;
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Writes one chain's records into a reusable line buffer.
#[derive(Debug)]
pub struct RecordWriter {
    format: Format,
    line: Vec<u8>,
}

impl RecordWriter {
    pub fn new(format: Format, nodes: usize) -> RecordWriter {
        RecordWriter {
            format,
            line: Vec::with_capacity(64 + 12 * nodes),
        }
    }

    /// One sampled plan.
    #[allow(clippy::too_many_arguments)]
    pub fn plan(
        &mut self,
        out: &mut impl Write,
        chain: u64,
        step: u64,
        cut_edges: u64,
        bounds: &Bounds,
        pops: &[u64],
        assignment: &[u32],
    ) -> std::io::Result<()> {
        let b = &mut self.line;
        b.clear();
        let dev = bounds.max_deviation(pops);
        match self.format {
            Format::Jsonl => {
                b.extend_from_slice(b"{\"type\":\"plan\",\"chain\":");
                push_u64(b, chain);
                b.extend_from_slice(b",\"step\":");
                push_u64(b, step);
                b.extend_from_slice(b",\"cut_edges\":");
                push_u64(b, cut_edges);
                b.extend_from_slice(b",\"max_dev\":");
                write!(b, "{dev:.9}")?;
                b.extend_from_slice(b",\"pops\":[");
                for (i, &p) in pops.iter().enumerate() {
                    if i > 0 {
                        b.push(b',');
                    }
                    push_u64(b, p);
                }
                b.extend_from_slice(b"],\"assignment\":[");
                for (i, &a) in assignment.iter().enumerate() {
                    if i > 0 {
                        b.push(b',');
                    }
                    push_u64(b, u64::from(a));
                }
                b.extend_from_slice(b"]}\n");
            }
            Format::Csv => {
                push_u64(b, chain);
                b.push(b',');
                push_u64(b, step);
                b.push(b',');
                push_u64(b, cut_edges);
                b.push(b',');
                write!(b, "{dev:.9}")?;
                for &p in pops {
                    b.push(b',');
                    push_u64(b, p);
                }
                for &a in assignment {
                    b.push(b',');
                    push_u64(b, u64::from(a));
                }
                b.push(b'\n');
            }
        }
        out.write_all(b)
    }

    /// The record closing a chain (JSON lines only).
    pub fn chain_end(
        &mut self,
        out: &mut impl Write,
        chain: u64,
        stats: &ChainStats,
    ) -> std::io::Result<()> {
        if self.format == Format::Jsonl {
            writeln!(
                out,
                "{{\"type\":\"chain\",\"chain\":{chain},\"steps\":{},\"moves\":{},\"trees\":{},\"pairs_dropped\":{}}}",
                stats.steps, stats.moves, stats.trees, stats.pairs_dropped
            )?;
        }
        Ok(())
    }
}

/// The head of a shard: its meta object, the raw head lines and the byte
/// offset where the body starts.
#[derive(Debug)]
struct ShardHead {
    path: PathBuf,
    meta: Value,
    format: Format,
    /// CSV header line (CSV only).
    header: Option<String>,
    body_start: u64,
    range: (u64, u64),
}

fn read_head(path: &Path) -> Result<ShardHead, OutputError> {
    let shard_err = |message: String| OutputError::Shard {
        path: path.display().to_string(),
        message,
    };
    let file = File::open(path).map_err(io_err(path))?;
    let mut reader = BufReader::new(file);
    let mut first = String::new();
    reader.read_line(&mut first).map_err(io_err(path))?;
    let mut body_start = first.len() as u64;
    let first_trim = first.trim_end_matches(['\n', '\r']);
    let (format, json_text) = if let Some(rest) = first_trim.strip_prefix("# meta ") {
        (Format::Csv, rest)
    } else {
        (Format::Jsonl, first_trim)
    };
    let meta: Value = serde_json::from_str(json_text)
        .map_err(|e| shard_err(format!("line 1 is not an ensemble meta record: {e}")))?;
    if meta.get("type").and_then(Value::as_str) != Some("meta") {
        return Err(shard_err("line 1 is not an ensemble meta record".into()));
    }
    let range = meta
        .get("chain_range")
        .and_then(Value::as_array)
        .and_then(|a| Some((a.first()?.as_u64()?, a.get(1)?.as_u64()?)))
        .ok_or_else(|| shard_err("meta has no chain_range [start, end]".into()))?;
    let header = if format == Format::Csv {
        let mut h = String::new();
        reader.read_line(&mut h).map_err(io_err(path))?;
        body_start += h.len() as u64;
        Some(h)
    } else {
        None
    };
    Ok(ShardHead {
        path: path.to_path_buf(),
        meta,
        format,
        header,
        body_start,
        range,
    })
}

/// Lines each chain writes after the head: one per recorded step (steps 0,
/// every, 2·every, … ≤ steps), plus the closing record in JSON lines.
pub fn lines_per_chain(meta: &Value, format: Format) -> Option<u64> {
    let steps = meta.get("steps")?.as_u64()?;
    let every = meta.get("every")?.as_u64()?.max(1);
    Some(steps / every + 1 + u64::from(format == Format::Jsonl))
}

/// What a merge produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSummary {
    pub shards: usize,
    pub chain_range: (u64, u64),
    pub format: Format,
}

/// Combines shards of one ensemble (same meta except `chain_range`, ranges
/// that together form one contiguous range, in any order) into `out`, byte
/// for byte what a single run over the combined range writes.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<MergeSummary, OutputError> {
    if shards.is_empty() {
        return Err(OutputError::Merge("no shards given".into()));
    }
    if let Ok(target) = std::fs::canonicalize(out) {
        if let Some(shard) = shards
            .iter()
            .find(|s| std::fs::canonicalize(s).ok().as_ref() == Some(&target))
        {
            return Err(OutputError::Merge(format!(
                "--out {} is one of the shards ({}): refusing to write over an input",
                out.display(),
                shard.display()
            )));
        }
    }
    let mut heads = shards
        .iter()
        .map(|p| read_head(p))
        .collect::<Result<Vec<_>, _>>()?;
    heads.sort_by_key(|h| h.range);
    let strip = |m: &Value| {
        let mut m = m.clone();
        if let Some(o) = m.as_object_mut() {
            o.remove("chain_range");
        }
        m
    };
    let base = strip(&heads[0].meta);
    for h in &heads[1..] {
        if strip(&h.meta) != base {
            let mut diffs = Vec::new();
            if let (Some(a), Some(b)) = (base.as_object(), strip(&h.meta).as_object()) {
                for (key, va) in a {
                    if b.get(key) != Some(va) {
                        diffs.push(key.clone());
                    }
                }
                for key in b.keys() {
                    if !a.contains_key(key) {
                        diffs.push(key.clone());
                    }
                }
            }
            return Err(OutputError::Merge(format!(
                "{} and {} are not shards of one ensemble (meta differs in: {})",
                heads[0].path.display(),
                h.path.display(),
                diffs.join(", ")
            )));
        }
        if h.format != heads[0].format || h.header != heads[0].header {
            return Err(OutputError::Merge(format!(
                "{} and {} have different formats or headers",
                heads[0].path.display(),
                h.path.display()
            )));
        }
    }
    for pair in heads.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.range.1 != b.range.0 {
            let what = if a.range.1 > b.range.0 {
                "overlap"
            } else {
                "leave a gap"
            };
            return Err(OutputError::Merge(format!(
                "chain ranges {}..{} ({}) and {}..{} ({}) {what}",
                a.range.0,
                a.range.1,
                a.path.display(),
                b.range.0,
                b.range.1,
                b.path.display()
            )));
        }
    }
    let range = (heads[0].range.0, heads[heads.len() - 1].range.1);
    let mut meta = heads[0].meta.clone();
    meta["chain_range"] = json!([range.0, range.1]);
    let format = heads[0].format;
    if let Some(f) = Format::from_path(out) {
        if f != format {
            return Err(OutputError::Merge(format!(
                "{}: the shards are {} but the output name says {}",
                out.display(),
                format.name(),
                f.name()
            )));
        }
    }
    let per_chain = lines_per_chain(&meta, format)
        .ok_or_else(|| OutputError::Merge("meta lacks steps or every".into()))?;
    // Written beside the output and renamed when complete.
    let tmp = partial_path(out);
    let file = File::create(&tmp).map_err(io_err(&tmp))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let result = write_merged(&mut w, &meta, format, &heads, per_chain, out);
    let result = result.and_then(|()| w.flush().map_err(io_err(&tmp)));
    drop(w);
    match result.and_then(|()| std::fs::rename(&tmp, out).map_err(io_err(out))) {
        Ok(()) => Ok(MergeSummary {
            shards: heads.len(),
            chain_range: range,
            format,
        }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// `NAME.partial` beside `out`: where a file is written before it is
/// complete (visible, so that a killed run's leftovers are seen).
pub fn partial_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ensemble".into());
    out.with_file_name(format!("{name}.partial"))
}

fn write_merged(
    w: &mut impl Write,
    meta: &Value,
    format: Format,
    heads: &[ShardHead],
    per_chain: u64,
    out: &Path,
) -> Result<(), OutputError> {
    writeln!(w, "{}", meta_line(meta, format)).map_err(io_err(out))?;
    if let Some(h) = &heads[0].header {
        w.write_all(h.as_bytes()).map_err(io_err(out))?;
    }
    for h in heads {
        let mut f = File::open(&h.path).map_err(io_err(&h.path))?;
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(h.body_start))
            .map_err(io_err(&h.path))?;
        let mut r = BufReader::with_capacity(1 << 20, f);
        let mut buf = vec![0u8; 1 << 20];
        let mut last = b'\n';
        let mut lines = 0u64;
        loop {
            let n = r.read(&mut buf).map_err(io_err(&h.path))?;
            if n == 0 {
                break;
            }
            last = buf[n - 1];
            lines += buf[..n].iter().filter(|&&c| c == b'\n').count() as u64;
            w.write_all(&buf[..n]).map_err(io_err(out))?;
        }
        let want = per_chain * (h.range.1 - h.range.0);
        if last != b'\n' || lines != want {
            return Err(OutputError::Shard {
                path: h.path.display().to_string(),
                message: format!(
                    "{lines} records after the head, expected {want} for chains {}..{} (incomplete shard?)",
                    h.range.0, h.range.1
                ),
            });
        }
    }
    Ok(())
}
