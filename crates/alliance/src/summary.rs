//! Reading an ensemble file back (`fedsplit ensemble summarize`): its meta
//! record, then every plan record's assignment, and the scalar scores an
//! ensemble summary reports per plan.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use crate::output::{io_err, Format, OutputError};
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

/// The meta record of an ensemble file and its format (by extension).
pub fn read_meta(path: &Path) -> Result<(Value, Format), OutputError> {
    let format = Format::from_path(path).ok_or_else(|| {
        not_ensemble(
            path,
            "not an ensemble file (expected a .jsonl or .csv written by `fedsplit ensemble`)",
        )
    })?;
    let file = File::open(path).map_err(|e| not_ensemble(path, format!("cannot read: {e}")))?;
    let mut first = String::new();
    BufReader::new(file)
        .read_line(&mut first)
        .map_err(io_err(path))?;
    let text = match format {
        Format::Jsonl => Some(first.trim_end()),
        Format::Csv => first.trim_end().strip_prefix("# meta "),
    };
    let meta: Option<Value> = text.and_then(|t| serde_json::from_str(t).ok());
    match meta {
        Some(m) if m["type"] == "meta" && m["tool"] == "fedsplit ensemble" => Ok((m, format)),
        _ => Err(not_ensemble(
            path,
            "not an ensemble file (line 1 is not the meta record of `fedsplit ensemble`)",
        )),
    }
}

/// Calls `visit` with the assignment of every plan record of the file, in
/// order; checks each has `nodes` entries, all below `k`. Returns the number
/// of plans.
pub fn for_each_plan(
    path: &Path,
    format: Format,
    k: usize,
    nodes: usize,
    mut visit: impl FnMut(&[u32]),
) -> Result<u64, OutputError> {
    let file = File::open(path).map_err(io_err(path))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    let mut assignment: Vec<u32> = Vec::with_capacity(nodes);
    let mut plans = 0u64;
    let bad = |line: usize, message: String| not_ensemble(path, format!("line {line}: {message}"));
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(io_err(path))?;
        let number = i + 1;
        if i == 0 {
            continue; // meta
        }
        assignment.clear();
        match format {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jsonl_and_csv() {
        let dir = tempfile::tempdir().unwrap();
        let meta = r#"{"type":"meta","tool":"fedsplit ensemble","k":2}"#;
        let j = dir.path().join("e.jsonl");
        std::fs::write(
            &j,
            format!("{meta}\n{{\"type\":\"plan\",\"chain\":0,\"step\":0,\"cut_edges\":2,\"max_dev\":0.0,\"pops\":[2,2],\"assignment\":[0,1,0,1]}}\n{{\"type\":\"chain\",\"chain\":0}}\n"),
        )
        .unwrap();
        let (m, f) = read_meta(&j).unwrap();
        assert_eq!((m["k"].as_u64(), f), (Some(2), Format::Jsonl));
        let mut seen = Vec::new();
        assert_eq!(
            for_each_plan(&j, f, 2, 4, |a| seen.push(a.to_vec())).unwrap(),
            1
        );
        assert_eq!(seen, vec![vec![0, 1, 0, 1]]);
        assert!(for_each_plan(&j, f, 2, 5, |_| {}).is_err());

        let c = dir.path().join("e.csv");
        std::fs::write(
            &c,
            format!("# meta {meta}\nchain,step,cut_edges,max_dev,pop_0,pop_1,a,b,c\n0,0,1,0.5,1,2,0,1,1\n"),
        )
        .unwrap();
        let (_, f) = read_meta(&c).unwrap();
        let mut seen = Vec::new();
        for_each_plan(&c, f, 2, 3, |a| seen.push(a.to_vec())).unwrap();
        assert_eq!(seen, vec![vec![0, 1, 1]]);
        assert!(for_each_plan(&c, f, 1, 3, |_| {}).is_err());

        let x = dir.path().join("x.jsonl");
        std::fs::write(&x, "hello\n").unwrap();
        assert!(read_meta(&x)
            .unwrap_err()
            .to_string()
            .contains("not an ensemble file"));
    }
}
