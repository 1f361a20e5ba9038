//! `fedsplit report`: the headline answers on one screen.

use clap::Args;
use fedsplit_data::{Dataset, Party};
use fedsplit_ledger::{Deficit, Ledger, LedgerTable, Options};
use serde_json::{json, Value};

use super::ledger::{rows, Row};
use super::sensitivity::{ranges, Sign};
use crate::args::{DataArgs, Format, FormatArgs, LedgerArgs};
use crate::output::{self, fixed, millions, Align, TextTable};

/// The election whose winners define the red/blue blocs.
const BLOC_ELECTION: u16 = 2024;

#[derive(Args, Debug)]
pub struct ReportCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Totals of one bloc of states.
struct Bloc {
    name: String,
    states: Vec<usize>,
    population: f64,
    receipts: f64,
    spending: f64,
    net: f64,
    /// Net per capita with the deficit charged per resident (budget balanced).
    balanced_net_per_capita: f64,
}

fn blocs(data: &Dataset, table: &LedgerTable, balanced: &LedgerTable) -> Vec<Bloc> {
    let results = data.election(BLOC_ELECTION);
    if results.len() != data.len() {
        return Vec::new();
    }
    let names = |party| match results.iter().find(|r| r.winner() == party) {
        Some(r) if party == Party::Democratic => format!("States {} won", r.dem_candidate),
        Some(r) => format!("States {} won", r.rep_candidate),
        None => String::new(),
    };
    [Party::Democratic, Party::Republican]
        .into_iter()
        .map(|party| {
            let states: Vec<usize> = (0..data.len())
                .filter(|&i| results[i].winner() == party)
                .collect();
            let sum = |v: &[f64]| states.iter().map(|&i| v[i]).sum::<f64>();
            let population = sum(&data.population);
            Bloc {
                name: names(party),
                population,
                receipts: sum(&table.receipts_total),
                spending: sum(&table.spending_total),
                net: sum(&table.net),
                balanced_net_per_capita: sum(&balanced.net) / population,
                states,
            }
        })
        .filter(|b| !b.states.is_empty())
        .collect()
}

pub fn run(cmd: &ReportCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let options = cmd.ledger.options();
    let ledger = Ledger::new(&data)?;
    let table = ledger.compute(&options);
    let balanced = ledger.compute(&Options {
        deficit: Deficit::PerCapita,
        ..options
    });
    let (mut state_rows, national) = rows(&data, &table);
    state_rows.sort_by_key(|r| r.rank);
    let (ranges, combinations) = ranges(&data)?;
    let blocs = blocs(&data, &table, &balanced);
    let top: Vec<&Row> = state_rows.iter().take(5).collect();
    let bottom: Vec<&Row> = state_rows.iter().rev().take(5).collect();
    let by_sign = |sign: Sign| -> Vec<&str> {
        ranges
            .iter()
            .filter(|r| r.sign == sign)
            .map(|r| r.state.postal())
            .collect()
    };

    if cmd.format.format == Format::Json {
        let row = |r: &Row| json!({"state": r.state.postal(), "net_per_capita_usd": r.net_per_capita, "net_usd": r.net, "rank": r.rank});
        let bloc_json: Vec<Value> = blocs
            .iter()
            .map(|b| {
                json!({
                    "bloc": b.name,
                    "states": b.states.iter().map(|&i| data.states[i].postal()).collect::<Vec<_>>(),
                    "population": b.population,
                    "receipts_usd": b.receipts,
                    "spending_usd": b.spending,
                    "net_usd": b.net,
                    "net_per_capita_usd": b.net / b.population,
                    "net_per_capita_deficit_per_capita_usd": b.balanced_net_per_capita,
                })
            })
            .collect();
        return Ok(output::json_text(&json!({
            "meta": output::meta(&data, "report", Some(&options)),
            "national": {
                "receipts_usd": national.receipts,
                "spending_usd": national.spending,
                "net_usd": national.net,
                "net_per_capita_usd": national.net_per_capita,
            },
            "top_receivers_per_capita": top.iter().map(|r| row(r)).collect::<Vec<_>>(),
            "top_payers_per_capita": bottom.iter().map(|r| row(r)).collect::<Vec<_>>(),
            "sign": {
                "combinations": combinations,
                "always_receiver": by_sign(Sign::AlwaysReceiver),
                "always_payer": by_sign(Sign::AlwaysPayer),
                "depends": by_sign(Sign::Depends),
            },
            "blocs": { "election": BLOC_ELECTION, "blocs": bloc_json },
        })));
    }

    let mut out = format!(
        "fedsplit report — federal balance of payments by state, FY2022\noptions: {}\n\n",
        output::options_line(&options)
    );
    out.push_str(&format!(
        "United States (all {} states): receipts ${}M, attributed spending ${}M, net {} $M ({} per resident)\n",
        data.len(),
        millions(national.receipts),
        millions(national.spending),
        output::signed_millions(national.net),
        output::signed_dollars(national.net_per_capita),
    ));
    out.push_str(
        "  net = spending − receipts; a positive net means the federal government spends more there than it collects.\n\n",
    );

    let mut t = TextTable::new(&[
        ("largest net receivers per capita", Align::Left),
        ("net/capita $", Align::Right),
        ("  largest net payers per capita", Align::Left),
        ("net/capita $ ", Align::Right),
    ]);
    for (a, b) in top.iter().zip(&bottom) {
        t.row(vec![
            format!("{}. {}", a.rank, a.state.name()),
            output::signed_dollars(a.net_per_capita),
            format!("  {}. {}", b.rank, b.state.name()),
            output::signed_dollars(b.net_per_capita),
        ]);
    }
    out.push_str(&t.render());

    out.push_str(&format!(
        "\nAcross {combinations} combinations of method × deficit × corporate key × procurement key:\n"
    ));
    for sign in [Sign::AlwaysReceiver, Sign::AlwaysPayer, Sign::Depends] {
        let list = by_sign(sign);
        out.push_str(&format!(
            "  {:<18} {:>2}  {}\n",
            sign.label(),
            list.len(),
            list.join(" ")
        ));
    }

    if !blocs.is_empty() {
        out.push_str(&format!(
            "\n{BLOC_ELECTION} red/blue blocs (states by presidential winner):\n"
        ));
        let mut t = TextTable::new(&[
            ("bloc", Align::Left),
            ("states", Align::Right),
            ("population", Align::Right),
            ("receipts $M", Align::Right),
            ("spending $M", Align::Right),
            ("net $M", Align::Right),
            ("net/capita $", Align::Right),
            ("deficit per capita $", Align::Right),
        ]);
        for b in &blocs {
            t.row(vec![
                b.name.clone(),
                b.states.len().to_string(),
                output::group(output::round(b.population)),
                millions(b.receipts),
                millions(b.spending),
                output::signed_millions(b.net),
                output::signed_dollars(b.net / b.population),
                output::signed_dollars(b.balanced_net_per_capita),
            ]);
        }
        out.push_str(&t.render());
        out.push_str(
            "  last column: net per capita with the deficit charged equally per resident (national net 0).\n",
        );
    }
    out.push_str(&format!(
        "\nDetails: fedsplit ledger | explain XX | sensitivity | sources   (net % of GDP nationally: {}%)\n",
        fixed(national.net_pct_gdp, 1)
    ));
    Ok(out)
}
