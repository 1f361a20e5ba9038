//! `fedsplit ledger`: every state's balance of payments under one choice of options.

use clap::{Args, ValueEnum};
use fedsplit_data::Dataset;
use fedsplit_ledger::{Ledger, ReceiptLine, SpendingLine};
use fedsplit_report::ledger::{self, LedgerReport, NetParts, SortColumn, Totals};
use fedsplit_report::Amounts;

use crate::args::{parse_state_list, DataArgs, Format, FormatArgs, LedgerArgs, StateList};
use crate::output::{self, fixed, millions, round, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct LedgerCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    /// Sort rows by this column (descending for figures, ascending for state and rank)
    #[arg(long, value_enum, default_value_t = Sort::Rank)]
    pub sort: Sort,
    /// Only these states, e.g. NY,CA,TX (the national row still covers all)
    #[arg(long, value_name = "XX,..", value_parser = parse_state_list)]
    pub state: Option<StateList>,
    /// Also show each state's net in parts: mandatory vs discretionary programs, or the earned-benefit view (Social Security + Medicare against payroll taxes)
    #[arg(long, value_enum)]
    pub split: Option<Split>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Mandatory programs, discretionary spending, interest and residual
    Mandatory,
    /// Social Security + Medicare − payroll taxes, and the rest
    EarnedBenefit,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Rank,
    State,
    Population,
    Receipts,
    Spending,
    Net,
    PerCapita,
    PctGdp,
    Ratio,
}

impl From<Sort> for SortColumn {
    fn from(s: Sort) -> SortColumn {
        match s {
            Sort::Rank => SortColumn::Rank,
            Sort::State => SortColumn::State,
            Sort::Population => SortColumn::Population,
            Sort::Receipts => SortColumn::Receipts,
            Sort::Spending => SortColumn::Spending,
            Sort::Net => SortColumn::Net,
            Sort::PerCapita => SortColumn::PerCapita,
            Sort::PctGdp => SortColumn::PctGdp,
            Sort::Ratio => SortColumn::Ratio,
        }
    }
}

pub fn run(cmd: &LedgerCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let ledger = Ledger::new(&data)?;
    let only = cmd.state.as_ref().map(|StateList(s)| s.as_slice());
    let report = ledger::build(&ledger, &cmd.ledger.options(), cmd.sort.into(), only)?;
    Ok(match cmd.format.format {
        Format::Table => table(&data, &report, cmd.split),
        Format::Csv => csv(&report),
        Format::Json => output::json_text(&report),
    })
}

fn table(data: &Dataset, r: &LedgerReport, split: Option<Split>) -> String {
    let mut cols = vec![
        ("rank", Align::Right),
        ("state", Align::Left),
        ("receipts $M", Align::Right),
        ("spending $M", Align::Right),
        ("net $M", Align::Right),
        ("net/capita $", Align::Right),
        ("net % GDP", Align::Right),
        ("$ per $1 paid", Align::Right),
    ];
    cols.extend(match split {
        None => vec![],
        Some(Split::Mandatory) => vec![
            ("mandatory $/capita", Align::Right),
            ("discretionary $/capita", Align::Right),
            ("interest+residual $/capita", Align::Right),
        ],
        Some(Split::EarnedBenefit) => vec![
            ("SS+Medicare−payroll $/capita", Align::Right),
            ("rest $/capita", Align::Right),
        ],
    });
    let mut t = TextTable::new(&cols);
    let row = |rank: String, name: &str, x: &Totals, p: &NetParts, population: f64| {
        let mut cells = vec![
            rank,
            name.to_string(),
            millions(x.receipts_usd),
            millions(x.spending_usd),
            output::signed_millions(x.net_usd),
            output::signed_dollars(x.net_per_capita_usd),
            fixed(x.net_pct_gdp, 1),
            fixed(x.spending_per_receipt_dollar, 2),
        ];
        let per = |v: f64| output::signed_dollars(v / population);
        match split {
            Some(Split::Mandatory) => cells.extend([
                per(p.mandatory_net_usd),
                per(p.discretionary_net_usd),
                per(p.neither_net_usd),
            ]),
            Some(Split::EarnedBenefit) => {
                cells.extend([per(p.insurance_net_usd), per(p.rest_net_usd)])
            }
            None => {}
        }
        cells
    };
    for s in &r.states {
        t.row(row(
            s.rank.to_string(),
            s.name,
            &s.totals,
            &s.parts,
            s.population,
        ));
    }
    t.rule();
    let n = &r.national;
    t.row(row(
        String::new(),
        "United States (all states)",
        &n.totals,
        &n.parts,
        n.population,
    ));
    let note = match split {
        None => "",
        Some(Split::Mandatory) => "\nparts of the net: each state's taxes counted as funding the nation's mix of spending; they add up\nto net/capita. Mandatory: Social Security, Medicare, Medicaid, SNAP, other payments, mandatory grants.\n",
        Some(Split::EarnedBenefit) => "\nearned-benefit view: Social Security and Medicare netted against the payroll taxes that fund them;\nthe two columns add up to net/capita.\n",
    };
    format!(
        "Federal balance of payments by state, FY{} ({} states; net = spending − receipts)\noptions: {}\n\n{}{note}",
        data.fiscal_year,
        data.len(),
        output::options_line(&r.meta.options.expect("the ledger has options").0),
        t.render()
    )
}

/// Header: identifiers, every receipt line, every spending line, the totals,
/// then the net in parts.
fn csv(r: &LedgerReport) -> String {
    let mut header: Vec<String> = vec!["state".into(), "name".into(), "population".into()];
    header.extend(ReceiptLine::ALL.iter().map(|l| format!("{}_usd", l.name())));
    header.push("receipts_usd".into());
    header.extend(
        SpendingLine::ALL
            .iter()
            .map(|l| format!("{}_usd", l.name())),
    );
    header.extend(
        [
            "spending_usd",
            "net_usd",
            "net_per_capita_usd",
            "net_pct_gdp",
            "spending_per_receipt_dollar",
            "rank",
            "mandatory_net_usd",
            "discretionary_net_usd",
            "interest_residual_net_usd",
            "insurance_net_usd",
            "rest_net_usd",
        ]
        .map(String::from),
    );
    let mut out = Csv::new(&header);
    let whole = |v: f64| round(v).to_string();
    let row = |code: &str,
               name: &str,
               population: f64,
               lines: [&Amounts; 2],
               x: &Totals,
               rank: String,
               p: &NetParts| {
        let mut f = vec![code.to_string(), name.to_string(), whole(population)];
        f.extend(lines[0].0.iter().map(|(_, v)| whole(*v)));
        f.push(whole(x.receipts_usd));
        f.extend(lines[1].0.iter().map(|(_, v)| whole(*v)));
        f.push(whole(x.spending_usd));
        f.push(whole(x.net_usd));
        f.push(fixed(x.net_per_capita_usd, 2));
        f.push(fixed(x.net_pct_gdp, 3));
        f.push(fixed(x.spending_per_receipt_dollar, 4));
        f.push(rank);
        f.extend(
            [
                p.mandatory_net_usd,
                p.discretionary_net_usd,
                p.neither_net_usd,
                p.insurance_net_usd,
                p.rest_net_usd,
            ]
            .map(whole),
        );
        f
    };
    for s in &r.states {
        out.row(row(
            s.state,
            s.name,
            s.population,
            [&s.receipts_by_category_usd, &s.spending_by_channel_usd],
            &s.totals,
            s.rank.to_string(),
            &s.parts,
        ));
    }
    let n = &r.national;
    out.row(row(
        "US",
        "United States (all states)",
        n.population,
        [&n.receipts_by_category_usd, &n.spending_by_channel_usd],
        &n.totals,
        String::new(),
        &n.parts,
    ));
    out.finish()
}
