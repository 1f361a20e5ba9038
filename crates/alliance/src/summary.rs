//! Reading an ensemble file back (`fedsplit ensemble summarize`): its meta
//! record, then every plan record's assignment, and the scalar scores an
//! ensemble summary reports per plan.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use crate::output::{Format, OutputError};
use crate::scores::PlanScores;

/// A scalar score of a plan in an ensemble summary: machine name and label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryMetric {
    pub name: &'static str,
    pub label: &'static str,
}

/// The metrics of a summary, in the order of `metric_values`.
pub const METRICS: [SummaryMetric; 7] = [
    SummaryMetric {
        name: "stranded_total",
        label: "stranded voters",
    },
    SummaryMetric {
        name: "mean_homogeneity",
        label: "mean homogeneity (winner's two-party share)",
    },
    SummaryMetric {
        name: "cut_edges",
        label: "cut edges",
    },
    SummaryMetric {
        name: "max_pop_deviation",
        label: "largest population deviation (share of ideal)",
    },
    SummaryMetric {
        name: "max_abs_net_per_capita",
        label: "largest |bloc net per capita| ($)",
    },
    SummaryMetric {
        name: "min_net_per_capita",
        label: "smallest bloc net per capita ($)",
    },
    SummaryMetric {
        name: "max_net_per_capita",
        label: "largest bloc net per capita ($)",
    },
];

/// The values of `METRICS` for one plan's scores.
pub fn metric_values(s: &PlanScores) -> [f64; 7] {
    let min = s
        .blocs
        .iter()
        .map(|b| b.net_per_capita)
        .fold(f64::INFINITY, f64::min);
    let max = s
        .blocs
        .iter()
        .map(|b| b.net_per_capita)
        .fold(f64::NEG_INFINITY, f64::max);
    [
        s.stranded_total as f64,
        s.mean_homogeneity,
        s.cut_edges as f64,
        s.max_pop_deviation,
        s.max_abs_net_per_capita,
        if s.blocs.is_empty() { 0.0 } else { min },
        if s.blocs.is_empty() { 0.0 } else { max },
    ]
}

fn not_ensemble(path: &Path, message: impl Into<String>) -> OutputError {
    OutputError::Shard {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// An ensemble to read: a file (`.jsonl`, `.csv`, either gzip-compressed
/// as `.jsonl.gz`, `.csv.gz`) or the same bytes in memory.
#[derive(Debug, Clone)]
pub struct EnsembleFile {
    /// How errors name it.
    pub label: String,
    pub format: Format,
    gzip: bool,
    origin: Origin,
}

#[derive(Debug, Clone)]
enum Origin {
    Path(std::path::PathBuf),
    Bytes(&'static [u8]),
}

impl EnsembleFile {
    /// A file; the format (and gzip) from its name.
    pub fn path(path: &Path) -> Result<EnsembleFile, OutputError> {
        let name = path.display().to_string();
        let (stem, gzip) = match name.strip_suffix(".gz") {
            Some(stem) => (Path::new(stem).to_path_buf(), true),
            None => (path.to_path_buf(), false),
        };
        let format = Format::from_path(&stem).ok_or_else(|| {
            not_ensemble(
                path,
                "not an ensemble file (expected a .jsonl or .csv written by `fedsplit ensemble`, optionally .gz)",
            )
        })?;
        Ok(EnsembleFile {
            label: name,
            format,
            gzip,
            origin: Origin::Path(path.to_path_buf()),
        })
    }

    /// Bytes compiled into the binary (gzip-compressed when `gzip`).
    pub fn bytes(label: &str, format: Format, gzip: bool, bytes: &'static [u8]) -> EnsembleFile {
        EnsembleFile {
            label: label.to_string(),
            format,
            gzip,
            origin: Origin::Bytes(bytes),
        }
    }

    fn open(&self) -> Result<Box<dyn BufRead>, OutputError> {
        let raw: Box<dyn Read> = match &self.origin {
            Origin::Path(p) => {
                Box::new(File::open(p).map_err(|e| self.error(format!("cannot read: {e}")))?)
            }
            Origin::Bytes(b) => Box::new(*b),
        };
        let raw: Box<dyn Read> = if self.gzip {
            Box::new(flate2::read::GzDecoder::new(raw))
        } else {
            raw
        };
        Ok(Box::new(BufReader::with_capacity(1 << 20, raw)))
    }

    fn error(&self, message: impl Into<String>) -> OutputError {
        OutputError::Shard {
            path: self.label.clone(),
            message: message.into(),
        }
    }
}

impl EnsembleFile {
    /// The meta record (line 1).
    pub fn meta(&self) -> Result<Value, OutputError> {
        let mut first = String::new();
        self.open()?
            .read_line(&mut first)
            .map_err(|e| self.error(format!("cannot read: {e}")))?;
        let text = match self.format {
            Format::Jsonl => Some(first.trim_end()),
            Format::Csv => first.trim_end().strip_prefix("# meta "),
        };
        let meta: Option<Value> = text.and_then(|t| serde_json::from_str(t).ok());
        match meta {
            Some(m) if m["type"] == "meta" && m["tool"] == "fedsplit ensemble" => Ok(m),
            _ => Err(self.error(
                "not an ensemble file (line 1 is not the meta record of `fedsplit ensemble`)",
            )),
        }
    }

    /// Calls `visit` with the assignment of every plan record, in order;
    /// checks each has `nodes` entries, all below `k`. Returns the number of
    /// plans.
    pub fn for_each_plan(
        &self,
        k: usize,
        nodes: usize,
        mut visit: impl FnMut(&[u32]),
    ) -> Result<u64, OutputError> {
        let reader = self.open()?;
        let mut assignment: Vec<u32> = Vec::with_capacity(nodes);
        let mut plans = 0u64;
        let bad = |line: usize, message: String| self.error(format!("line {line}: {message}"));
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| self.error(format!("cannot read: {e}")))?;
            let number = i + 1;
            if i == 0 {
                continue; // meta
            }
            assignment.clear();
            match self.format {
                Format::Jsonl => {
                    if !line.starts_with("{\"type\":\"plan\"") {
                        continue;
                    }
                    let start = line
                        .find("\"assignment\":[")
                        .ok_or_else(|| bad(number, "plan record without an assignment".into()))?
                        + "\"assignment\":[".len();
                    let end = line[start..]
                        .find(']')
                        .ok_or_else(|| bad(number, "unterminated assignment".into()))?;
                    for field in line[start..start + end].split(',') {
                        let b: u32 = field
                            .trim()
                            .parse()
                            .map_err(|_| bad(number, format!("assignment entry {field:?}")))?;
                        assignment.push(b);
                    }
                }
                Format::Csv => {
                    if i == 1 {
                        let columns = csv::ReaderBuilder::new()
                            .has_headers(false)
                            .from_reader(line.as_bytes())
                            .records()
                            .next()
                            .and_then(Result::ok)
                            .map_or(0, |r| r.len());
                        if columns != 4 + k + nodes {
                            return Err(bad(
                                number,
                                format!(
                                    "header has {columns} columns, expected {} (4 + k + nodes)",
                                    4 + k + nodes
                                ),
                            ));
                        }
                        continue;
                    }
                    for field in line.split(',').skip(4 + k) {
                        let b: u32 = field
                            .trim()
                            .parse()
                            .map_err(|_| bad(number, format!("assignment entry {field:?}")))?;
                        assignment.push(b);
                    }
                }
            }
            if assignment.len() != nodes {
                return Err(bad(
                    number,
                    format!(
                        "assignment of {} nodes, the graph has {nodes}",
                        assignment.len()
                    ),
                ));
            }
            if let Some(b) = assignment.iter().find(|&&b| b as usize >= k) {
                return Err(bad(number, format!("bloc {b} out of range 0..{k}")));
            }
            plans += 1;
            visit(&assignment);
        }
        Ok(plans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jsonl_csv_and_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let meta = r#"{"type":"meta","tool":"fedsplit ensemble","k":2}"#;
        let body = format!("{meta}\n{{\"type\":\"plan\",\"chain\":0,\"step\":0,\"cut_edges\":2,\"max_dev\":0.0,\"pops\":[2,2],\"assignment\":[0,1,0,1]}}\n{{\"type\":\"chain\",\"chain\":0}}\n");
        let j = dir.path().join("e.jsonl");
        std::fs::write(&j, &body).unwrap();
        let gz = dir.path().join("e.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, body.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        for path in [&j, &gz] {
            let file = EnsembleFile::path(path).unwrap();
            let m = file.meta().unwrap();
            assert_eq!((m["k"].as_u64(), file.format), (Some(2), Format::Jsonl));
            let mut seen = Vec::new();
            assert_eq!(
                file.for_each_plan(2, 4, |a| seen.push(a.to_vec())).unwrap(),
                1
            );
            assert_eq!(seen, vec![vec![0, 1, 0, 1]]);
            assert!(file.for_each_plan(2, 5, |_| {}).is_err());
        }

        let c = dir.path().join("e.csv");
        std::fs::write(
            &c,
            format!("# meta {meta}\nchain,step,cut_edges,max_dev,pop_0,pop_1,a,b,c\n0,0,1,0.5,1,2,0,1,1\n"),
        )
        .unwrap();
        let file = EnsembleFile::path(&c).unwrap();
        file.meta().unwrap();
        let mut seen = Vec::new();
        file.for_each_plan(2, 3, |a| seen.push(a.to_vec())).unwrap();
        assert_eq!(seen, vec![vec![0, 1, 1]]);
        assert!(file.for_each_plan(1, 3, |_| {}).is_err());

        let x = dir.path().join("x.jsonl");
        std::fs::write(&x, "hello\n").unwrap();
        assert!(EnsembleFile::path(&x)
            .unwrap()
            .meta()
            .unwrap_err()
            .to_string()
            .contains("not an ensemble file"));
        assert!(EnsembleFile::path(&dir.path().join("x.txt")).is_err());
    }
}
