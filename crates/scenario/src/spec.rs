//! The scenario file: a TOML document (or the same structure as JSON).
//!
//! Parsing has two stages. `parse` reads the text into `ScenarioFile`
//! (unknown keys and wrong types are rejected with their path and line);
//! `compile` resolves it against a dataset (state codes, blocs, ranges) into
//! a `Scenario` ready to evaluate. Every error names the file, the line where
//! the text has one, and the path of the offending key.

use std::collections::BTreeMap;
use std::fmt;

use fedsplit_core::State;
use fedsplit_data::Dataset;
use fedsplit_ledger::{OptionKey, Options};
use serde::Deserialize;

use crate::blocs::election_assignment;
use crate::partition::{DebtKey, PartitionParams, PublicGoodsKey};
use crate::{Assignment, Channel, Instrument};

/// The schema, as printed by `fedsplit scenario --schema`.
pub const SCHEMA: &str = include_str!("schema.toml");

/// A scenario file error: where, and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct SpecError {
    pub file: String,
    /// 1-based line in the file, when the text has one.
    pub line: Option<usize>,
    /// Dotted path of the key, e.g. `bluexit.bloc.Democratic.replace_share`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: ", self.file, line)?,
            None => write!(f, "{}: ", self.file)?,
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

// ---- stage 1: the document as written -------------------------------------

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The fiscal year of the data the scenario runs on (`--year` must agree
    /// when both are given).
    pub year: Option<u16>,
    #[serde(default)]
    pub ledger: LedgerSpec,
    pub blocs: BlocsSpec,
    pub bluexit: Option<BluexitSpec>,
    pub devolution: Option<DevolutionSpec>,
    pub partition: Option<PartitionSpec>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LedgerSpec {
    pub method: Option<String>,
    pub deficit: Option<String>,
    pub interest: Option<String>,
    pub residual: Option<String>,
    pub corporate_key: Option<String>,
    pub procurement_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlocsSpec {
    /// Blocs by presidential winner in this election year.
    pub election: Option<u16>,
    /// With `election`: states won by less than this many points form a "Swing" bloc.
    pub margin: Option<f64>,
    /// Blocs as explicit lists of states.
    pub list: Option<Vec<BlocListSpec>>,
    /// Blocs as a map from state code to bloc name.
    pub assignment: Option<BTreeMap<String, String>>,
    /// Election year used for the blocs' vote statistics (default: `election`, else 2024).
    pub votes: Option<u16>,
    /// County moves: county FIPS code to bloc name, on the county graph only.
    pub counties: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlocListSpec {
    pub name: String,
    #[serde(default)]
    pub states: Vec<String>,
    /// Every state not listed in another bloc.
    #[serde(default)]
    pub rest: bool,
}

/// Bluexit parameters; each may be overridden per bloc under `bloc.NAME`.
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BluexitParamsSpec {
    pub income_tax_scale: Option<f64>,
    pub withdraw: Option<Vec<Channel>>,
    pub replace_share: Option<f64>,
    pub instrument: Option<Instrument>,
    pub pooling: Option<Pooling>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BluexitSpec {
    // The defaults are spelled out rather than flattened from
    // `BluexitParamsSpec`: serde's flatten loses the line of an unknown key.
    pub income_tax_scale: Option<f64>,
    pub withdraw: Option<Vec<Channel>>,
    pub replace_share: Option<f64>,
    pub instrument: Option<Instrument>,
    pub pooling: Option<Pooling>,
    pub federal_response: Option<FederalResponse>,
    #[serde(default)]
    pub bloc: BTreeMap<String, BluexitParamsSpec>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DevolutionParamsSpec {
    pub programs: Option<Vec<Channel>>,
    pub instrument: Option<Instrument>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DevolutionSpec {
    pub programs: Option<Vec<Channel>>,
    pub instrument: Option<Instrument>,
    #[serde(default)]
    pub bloc: BTreeMap<String, DevolutionParamsSpec>,
}

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PartitionSpec {
    pub public_goods_key: Option<PublicGoodsKey>,
    pub debt_key: Option<DebtKey>,
}

/// Who pays for what a bloc's states replace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pooling {
    /// Each state replaces its own withdrawn spending.
    #[default]
    State,
    /// The bloc pools the cost and shares it by the instrument's base.
    Bloc,
}

impl Pooling {
    pub const fn name(self) -> &'static str {
        match self {
            Pooling::State => "state",
            Pooling::Bloc => "bloc",
        }
    }
}

/// What the federal government does about the revenue it loses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FederalResponse {
    /// Nothing: the deficit changes.
    #[default]
    Deficit,
    /// Spending everywhere else is cut proportionally to close the gap.
    CutSpending,
}

impl FederalResponse {
    pub const fn name(self) -> &'static str {
        match self {
            FederalResponse::Deficit => "deficit",
            FederalResponse::CutSpending => "cut-spending",
        }
    }
}

/// Parses a TOML scenario. `file` names the source in errors.
pub fn parse(file: &str, text: &str) -> Result<ScenarioFile, SpecError> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let line = inner.span().map(|s| line_of_offset(text, s.start));
        SpecError {
            file: file.to_string(),
            line,
            path: if path == "." { String::new() } else { path },
            message: first_line(inner.message()),
        }
    })
}

/// Parses the same structure from JSON (for the web API). Errors carry the
/// path and the JSON line.
pub fn parse_json_value<'de, D>(file: &str, de: D) -> Result<ScenarioFile, SpecError>
where
    D: serde::Deserializer<'de>,
    D::Error: fmt::Display,
{
    serde_path_to_error::deserialize(de).map_err(|e| SpecError {
        file: file.to_string(),
        line: None,
        path: e.path().to_string(),
        message: first_line(&e.into_inner().to_string()),
    })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// One step of a key path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A position while walking a TOML document along a key path.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a toml_edit::Item),
    Value(&'a toml_edit::Value),
    Table(&'a toml_edit::Table),
}

impl<'a> Node<'a> {
    fn child(self, step: &Step) -> Option<(Node<'a>, Option<std::ops::Range<usize>>)> {
        use toml_edit::{Item, Value};
        match (self, step) {
            (Node::Item(Item::Table(t)) | Node::Table(t), Step::Key(k)) => {
                let span = t.key(k).and_then(|k| k.span());
                t.get(k).map(|i| (Node::Item(i), span.or_else(|| i.span())))
            }
            (Node::Item(Item::Value(v)) | Node::Value(v), Step::Key(k)) => match v {
                Value::InlineTable(t) => {
                    let span = t.key(k).and_then(|k| k.span());
                    t.get(k)
                        .map(|v| (Node::Value(v), span.or_else(|| v.span())))
                }
                _ => None,
            },
            (Node::Item(Item::ArrayOfTables(a)), Step::Index(i)) => {
                a.get(*i).map(|t| (Node::Table(t), t.span()))
            }
            (
                Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)),
                Step::Index(i),
            ) => a.get(*i).map(|v| (Node::Value(v), v.span())),
            _ => None,
        }
    }
}

/// The line of the key at `path` in a TOML text, or of its nearest
/// ancestor that has one.
fn line_of_path(text: &str, path: &[Step]) -> Option<usize> {
    let doc = toml_edit::ImDocument::parse(text.to_string()).ok()?;
    let mut node = Node::Table(doc.as_table());
    let mut best = None;
    for step in path {
        let Some((next, span)) = node.child(step) else {
            break;
        };
        if let Some(span) = span {
            best = Some(line_of_offset(text, span.start));
        }
        node = next;
    }
    best
}

// ---- stage 2: resolved against a dataset ----------------------------------

/// Bluexit parameters in force for one bloc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BluexitBloc {
    /// Federal individual income tax scale for the bloc's residents (1 = unchanged, 0 = abolished).
    pub income_tax_scale: f64,
    /// Channels withdrawn from the bloc, indexed like `Channel::ALL`.
    pub withdraw: [bool; 4],
    /// Share of withdrawn spending the bloc's states replace (0..1).
    pub replace_share: f64,
    pub instrument: Instrument,
    pub pooling: Pooling,
}

impl Default for BluexitBloc {
    fn default() -> Self {
        BluexitBloc {
            income_tax_scale: 1.0,
            withdraw: [false; 4],
            replace_share: 0.0,
            instrument: Instrument::AgiFlat,
            pooling: Pooling::State,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bluexit {
    /// Parameters for each bloc, in bloc order.
    pub blocs: Vec<BluexitBloc>,
    pub federal_response: FederalResponse,
}

/// Devolution parameters in force for one bloc.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DevolutionBloc {
    /// Programs moved to the bloc's states, indexed like `Channel::ALL`.
    pub programs: [bool; 4],
    pub instrument: Instrument,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Devolution {
    pub blocs: Vec<DevolutionBloc>,
}

/// A scenario resolved against a dataset, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub year: Option<u16>,
    pub options: Options,
    pub assignment: Assignment,
    /// Election year of the blocs' vote statistics.
    pub votes_year: u16,
    /// The election and margin the blocs were drawn from, if any.
    pub election_rule: Option<(u16, Option<f64>)>,
    pub bluexit: Option<Bluexit>,
    pub devolution: Option<Devolution>,
    pub partition: Option<PartitionParams>,
    /// County moves (FIPS code, bloc name), by code: they apply where the
    /// blocs are drawn on the county graph; the state ledger ignores them.
    pub county_moves: Vec<(String, String)>,
}

/// Reads and resolves a TOML scenario in one step.
pub fn load(file: &str, text: &str, data: &Dataset) -> Result<Scenario, SpecError> {
    let spec = parse(file, text)?;
    compile(&spec, data).map_err(|e| e.locate(file, Some(text)))
}

/// Reads a plan: a scenario file of which only the name, ledger options and
/// blocs are used, so a file with blocs and no policy table is accepted.
pub fn load_plan(file: &str, text: &str, data: &Dataset) -> Result<Scenario, SpecError> {
    let mut spec = parse(file, text)?;
    if spec.bluexit.is_none() && spec.devolution.is_none() && spec.partition.is_none() {
        spec.partition = Some(PartitionSpec::default());
    }
    compile(&spec, data).map_err(|e| e.locate(file, Some(text)))
}

/// A compile error before it is placed in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    path: Vec<Step>,
    message: String,
}

impl CompileError {
    fn new(path: &[Step], message: impl Into<String>) -> CompileError {
        CompileError {
            path: path.to_vec(),
            message: message.into(),
        }
    }

    /// Names the file and, given the TOML text, the line.
    pub fn locate(self, file: &str, toml_text: Option<&str>) -> SpecError {
        SpecError {
            file: file.to_string(),
            line: toml_text.and_then(|t| line_of_path(t, &self.path)),
            path: path_text(&self.path),
            message: self.message,
        }
    }
}

fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn key(k: &str) -> Step {
    Step::Key(k.to_string())
}

/// Resolves a parsed scenario against a dataset.
pub fn compile(spec: &ScenarioFile, data: &Dataset) -> Result<Scenario, CompileError> {
    if spec.name.trim().is_empty() {
        return Err(CompileError::new(&[key("name")], "must not be empty"));
    }
    let options = ledger_options(&spec.ledger)?;
    let (assignment, election_rule) = assignment(&spec.blocs, data)?;
    let votes_year = spec
        .blocs
        .votes
        .or(election_rule.map(|(y, _)| y))
        .unwrap_or(2024);
    if !data.election_years().contains(&votes_year) {
        return Err(CompileError::new(
            &[key("blocs"), key("votes")],
            format!(
                "no election {votes_year} in the dataset (have {})",
                years_text(data)
            ),
        ));
    }
    let county_moves = county_moves(&spec.blocs)?;
    let bluexit = spec
        .bluexit
        .as_ref()
        .map(|b| bluexit(b, &assignment))
        .transpose()?;
    let devolution = spec
        .devolution
        .as_ref()
        .map(|d| devolution(d, &assignment))
        .transpose()?;
    if let (Some(b), Some(d)) = (&bluexit, &devolution) {
        for (i, (bb, db)) in b.blocs.iter().zip(&d.blocs).enumerate() {
            for (c, channel) in Channel::ALL.iter().enumerate() {
                if bb.withdraw[c] && db.programs[c] {
                    return Err(CompileError::new(
                        &[key("devolution")],
                        format!(
                            "{} is both withdrawn (bluexit) and devolved for bloc {:?}",
                            channel.name(),
                            assignment.names[i]
                        ),
                    ));
                }
            }
        }
    }
    let partition = spec.partition.as_ref().map(|p| PartitionParams {
        public_goods_key: p.public_goods_key.unwrap_or_default(),
        debt_key: p.debt_key.unwrap_or_default(),
    });
    if bluexit.is_none() && devolution.is_none() && partition.is_none() {
        return Err(CompileError::new(
            &[],
            "no policy: add a [bluexit], [devolution] or [partition] table",
        ));
    }
    Ok(Scenario {
        name: spec.name.clone(),
        description: spec.description.clone(),
        year: spec.year,
        options,
        assignment,
        votes_year,
        election_rule,
        bluexit,
        devolution,
        partition,
        county_moves,
    })
}

/// `blocs.counties`: five-digit FIPS codes to non-empty bloc names.
fn county_moves(blocs: &BlocsSpec) -> Result<Vec<(String, String)>, CompileError> {
    let Some(moves) = &blocs.counties else {
        return Ok(Vec::new());
    };
    moves
        .iter()
        .map(|(fips, bloc)| {
            let path = [key("blocs"), key("counties"), key(fips)];
            if fips.len() != 5 || !fips.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CompileError::new(
                    &path,
                    format!("{fips:?} is not a county FIPS code (five digits, e.g. \"41035\")"),
                ));
            }
            if bloc.trim().is_empty() {
                return Err(CompileError::new(&path, "the bloc name must not be empty"));
            }
            Ok((fips.clone(), bloc.clone()))
        })
        .collect()
}

fn years_text(data: &Dataset) -> String {
    data.election_years()
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn ledger_options(spec: &LedgerSpec) -> Result<Options, CompileError> {
    let given = [
        (OptionKey::Method, &spec.method),
        (OptionKey::Deficit, &spec.deficit),
        (OptionKey::Interest, &spec.interest),
        (OptionKey::Residual, &spec.residual),
        (OptionKey::CorporateKey, &spec.corporate_key),
        (OptionKey::ProcurementKey, &spec.procurement_key),
    ];
    let mut options = Options::default();
    for (option, value) in given {
        if let Some(value) = value {
            options.set(option, value).map_err(|e| {
                CompileError::new(&[key("ledger"), key(option.key())], e.to_string())
            })?;
        }
    }
    Ok(options)
}

fn state_code(data: &Dataset, code: &str, path: &[Step]) -> Result<usize, CompileError> {
    let state = State::parse(code).map_err(|e| CompileError::new(path, e.to_string()))?;
    data.position(state).ok_or_else(|| {
        CompileError::new(
            path,
            format!("state {} is not in the dataset", state.postal()),
        )
    })
}

type Rule = Option<(u16, Option<f64>)>;

fn assignment(spec: &BlocsSpec, data: &Dataset) -> Result<(Assignment, Rule), CompileError> {
    let base = [key("blocs")];
    let forms = [
        spec.election.is_some(),
        spec.list.is_some(),
        spec.assignment.is_some(),
    ];
    if forms.iter().filter(|f| **f).count() != 1 {
        return Err(CompileError::new(
            &base,
            "give exactly one of `election`, `list` or `assignment`",
        ));
    }
    if spec.margin.is_some() && spec.election.is_none() {
        return Err(CompileError::new(
            &[key("blocs"), key("margin")],
            "`margin` needs `election`",
        ));
    }
    if let Some(year) = spec.election {
        if let Some(m) = spec.margin {
            if !(m > 0.0 && m < 100.0) {
                return Err(CompileError::new(
                    &[key("blocs"), key("margin")],
                    format!("margin must be between 0 and 100 percentage points, got {m}"),
                ));
            }
        }
        let a = election_assignment(data, year, spec.margin)
            .map_err(|e| CompileError::new(&[key("blocs"), key("election")], e.to_string()))?;
        if a.len() < 2 {
            return Err(CompileError::new(
                &[key("blocs"), key("margin")],
                format!(
                    "the rule gives a single bloc ({}): a scenario needs at least two",
                    a.names.join(", ")
                ),
            ));
        }
        return Ok((a, Some((year, spec.margin))));
    }
    let n = data.len();
    let mut bloc_of: Vec<Option<usize>> = vec![None; n];
    let mut names: Vec<String> = Vec::new();
    let mut rest: Option<usize> = None;
    if let Some(list) = &spec.list {
        for (b, bloc) in list.iter().enumerate() {
            let path = [key("blocs"), key("list"), Step::Index(b)];
            let name = bloc.name.trim();
            if name.is_empty() {
                return Err(CompileError::new(&path, "bloc name must not be empty"));
            }
            if names.iter().any(|n| n == name) {
                return Err(CompileError::new(
                    &path,
                    format!("bloc {name:?} is defined twice"),
                ));
            }
            names.push(name.to_string());
            if bloc.rest {
                if rest.is_some() {
                    return Err(CompileError::new(
                        &path,
                        "only one bloc can have `rest = true`",
                    ));
                }
                rest = Some(b);
            }
            for (k, code) in bloc.states.iter().enumerate() {
                let spath = [
                    key("blocs"),
                    key("list"),
                    Step::Index(b),
                    key("states"),
                    Step::Index(k),
                ];
                let i = state_code(data, code, &spath)?;
                if let Some(other) = bloc_of[i] {
                    return Err(CompileError::new(
                        &spath,
                        format!(
                            "{} is in two blocs: {:?} and {:?}",
                            data.states[i].postal(),
                            names[other],
                            name
                        ),
                    ));
                }
                bloc_of[i] = Some(b);
            }
        }
    } else if let Some(map) = &spec.assignment {
        for (code, bloc) in map {
            let path = [key("blocs"), key("assignment"), key(code)];
            let i = state_code(data, code, &path)?;
            if bloc_of[i].is_some() {
                return Err(CompileError::new(
                    &path,
                    format!("{} is assigned twice", data.states[i].postal()),
                ));
            }
            let name = bloc.trim();
            if name.is_empty() {
                return Err(CompileError::new(&path, "bloc name must not be empty"));
            }
            let b = match names.iter().position(|n| n == name) {
                Some(b) => b,
                None => {
                    names.push(name.to_string());
                    names.len() - 1
                }
            };
            bloc_of[i] = Some(b);
        }
    }
    // States not placed go to the `rest` bloc, or to an implicit "Rest".
    if bloc_of.iter().any(Option::is_none) {
        let r = match rest {
            Some(r) => r,
            None => {
                if names.iter().any(|n| n == "Rest") {
                    return Err(CompileError::new(
                        &base,
                        "some states are in no bloc and a bloc is already named \"Rest\": place every state or mark one bloc `rest = true`",
                    ));
                }
                names.push("Rest".to_string());
                names.len() - 1
            }
        };
        for b in bloc_of.iter_mut().filter(|b| b.is_none()) {
            *b = Some(r);
        }
    }
    let bloc_of: Vec<usize> = bloc_of.into_iter().map(|b| b.expect("placed")).collect();
    for (b, name) in names.iter().enumerate() {
        if !bloc_of.contains(&b) {
            let path = match &spec.list {
                Some(_) => vec![key("blocs"), key("list"), Step::Index(b)],
                None => base.to_vec(),
            };
            return Err(CompileError::new(
                &path,
                format!("bloc {name:?} has no states"),
            ));
        }
    }
    if names.len() < 2 {
        return Err(CompileError::new(
            &base,
            "a scenario needs at least two blocs",
        ));
    }
    Ok((Assignment { names, bloc_of }, None))
}

fn bloc_index(a: &Assignment, name: &str, path: &[Step]) -> Result<usize, CompileError> {
    a.index(name).ok_or_else(|| {
        CompileError::new(
            path,
            format!("no bloc named {name:?} (blocs: {})", a.names.join(", ")),
        )
    })
}

fn channels(list: &[Channel]) -> [bool; 4] {
    let mut set = [false; 4];
    for c in list {
        let i = Channel::ALL
            .iter()
            .position(|x| x == c)
            .expect("known channel");
        set[i] = true;
    }
    set
}

/// Largest income-tax scale accepted: ten times today's tax is already far
/// outside anything proposed; larger values only overflow the figures.
pub const MAX_INCOME_TAX_SCALE: f64 = 10.0;

/// A number for an error message: plain when short, scientific when huge.
fn short_number(v: f64) -> String {
    if v.abs() < 1e6 {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

fn bluexit_params(
    spec: &BluexitParamsSpec,
    base: BluexitBloc,
    path: &[Step],
) -> Result<BluexitBloc, CompileError> {
    let at = |k: &str| {
        let mut p = path.to_vec();
        p.push(key(k));
        p
    };
    let mut out = base;
    if let Some(s) = spec.income_tax_scale {
        if !(0.0..=MAX_INCOME_TAX_SCALE).contains(&s) {
            return Err(CompileError::new(
                &at("income_tax_scale"),
                format!(
                    "must be a non-negative number up to {MAX_INCOME_TAX_SCALE} (0 = abolished, 1 = unchanged), got {}",
                    short_number(s)
                ),
            ));
        }
        out.income_tax_scale = s;
    }
    if let Some(r) = spec.replace_share {
        if !(0.0..=1.0).contains(&r) {
            return Err(CompileError::new(
                &at("replace_share"),
                format!("must be a share between 0 and 1, got {}", short_number(r)),
            ));
        }
        out.replace_share = r;
    }
    if let Some(w) = &spec.withdraw {
        out.withdraw = channels(w);
    }
    if let Some(i) = spec.instrument {
        out.instrument = i;
    }
    if let Some(p) = spec.pooling {
        out.pooling = p;
    }
    Ok(out)
}

fn bluexit(spec: &BluexitSpec, a: &Assignment) -> Result<Bluexit, CompileError> {
    let defaults = BluexitParamsSpec {
        income_tax_scale: spec.income_tax_scale,
        withdraw: spec.withdraw.clone(),
        replace_share: spec.replace_share,
        instrument: spec.instrument,
        pooling: spec.pooling,
    };
    let default = bluexit_params(&defaults, BluexitBloc::default(), &[key("bluexit")])?;
    let mut blocs = vec![default; a.len()];
    for (name, over) in &spec.bloc {
        let path = [key("bluexit"), key("bloc"), key(name)];
        let b = bloc_index(a, name, &path)?;
        blocs[b] = bluexit_params(over, default, &path)?;
    }
    Ok(Bluexit {
        blocs,
        federal_response: spec.federal_response.unwrap_or_default(),
    })
}

fn devolution(spec: &DevolutionSpec, a: &Assignment) -> Result<Devolution, CompileError> {
    let apply = |s: &DevolutionParamsSpec, base: DevolutionBloc| DevolutionBloc {
        programs: s.programs.as_deref().map(channels).unwrap_or(base.programs),
        instrument: s.instrument.unwrap_or(base.instrument),
    };
    let defaults = DevolutionParamsSpec {
        programs: spec.programs.clone(),
        instrument: spec.instrument,
    };
    let default = apply(&defaults, DevolutionBloc::default());
    let mut blocs = vec![default; a.len()];
    for (name, over) in &spec.bloc {
        let path = [key("devolution"), key("bloc"), key(name)];
        let b = bloc_index(a, name, &path)?;
        blocs[b] = apply(over, default);
    }
    if blocs.iter().all(|b| b.programs.iter().all(|p| !p)) {
        return Err(CompileError::new(
            &[key("devolution"), key("programs")],
            "no program is devolved: list at least one of grants, medicaid, snap, other-payments",
        ));
    }
    Ok(Devolution { blocs })
}
