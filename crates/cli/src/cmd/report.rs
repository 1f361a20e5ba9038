//! `fedsplit report`: the headline answers on one screen.

use clap::Args;
use fedsplit_ledger::sensitivity::Sign;
use fedsplit_ledger::Ledger;
use fedsplit_report::headline::{self, Headline};

use crate::args::{DataArgs, Format, FormatArgs, LedgerArgs};
use crate::output::{self, fixed, millions, round, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct ReportCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub ledger: LedgerArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

pub fn run(cmd: &ReportCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let ledger = Ledger::new(&data)?;
    let options = cmd.ledger.options();
    let h = headline::build(&ledger, &options);
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&h),
        Format::Table => table(&h),
        Format::Csv => csv(&h),
    })
}

/// One row per state (the figures the report ranks and groups), then the nation.
fn csv(h: &Headline) -> String {
    let bloc = format!("bloc_{}", h.blocs.election);
    let mut out = Csv::new([
        "state",
        "name",
        "net_usd",
        "net_per_capita_usd",
        "rank",
        "sign_across_options",
        &bloc,
    ]);
    for s in &h.states {
        out.row([
            s.state,
            s.name,
            &round(s.net_usd).to_string(),
            &fixed(s.net_per_capita_usd, 2),
            &s.rank.to_string(),
            s.sign_across_options,
            s.bloc.as_deref().unwrap_or(""),
        ]);
    }
    let n = &h.national;
    out.row([
        "US",
        "United States (all states)",
        &round(n.net_usd).to_string(),
        &fixed(n.net_per_capita_usd, 2),
        "",
        "",
        "",
    ]);
    out.finish()
}

fn table(h: &Headline) -> String {
    let options = h.meta.options.expect("the report has options").0;
    let n = &h.national;
    let mut out = format!(
        "fedsplit report — federal balance of payments by state, FY2022\noptions: {}\n\n",
        output::options_line(&options)
    );
    out.push_str(&format!(
        "United States (all {} states): receipts ${}M, attributed spending ${}M, net {} $M ({} per resident)\n",
        n.states,
        millions(n.receipts_usd),
        millions(n.spending_usd),
        output::signed_millions(n.net_usd),
        output::signed_dollars(n.net_per_capita_usd),
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
    for (a, b) in h
        .top_receivers_per_capita
        .iter()
        .zip(&h.top_payers_per_capita)
    {
        t.row(vec![
            format!("{}. {}", a.rank, a.name),
            output::signed_dollars(a.net_per_capita_usd),
            format!("  {}. {}", b.rank, b.name),
            output::signed_dollars(b.net_per_capita_usd),
        ]);
    }
    out.push_str(&t.render());

    out.push_str(&format!(
        "\nAcross {} combinations of method × deficit × corporate key × procurement key:\n",
        h.sign.combinations
    ));
    for (sign, list) in [
        (Sign::AlwaysReceiver, &h.sign.always_receiver),
        (Sign::AlwaysPayer, &h.sign.always_payer),
        (Sign::Depends, &h.sign.depends),
    ] {
        out.push_str(&format!(
            "  {:<18} {:>2}  {}\n",
            sign.label(),
            list.len(),
            list.join(" ")
        ));
    }

    if !h.blocs.blocs.is_empty() {
        out.push_str(&format!(
            "\n{} red/blue blocs (states by presidential winner):\n",
            h.blocs.election
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
        for b in &h.blocs.blocs {
            t.row(vec![
                b.bloc.clone(),
                b.states.len().to_string(),
                output::group(round(b.population)),
                millions(b.receipts_usd),
                millions(b.spending_usd),
                output::signed_millions(b.net_usd),
                output::signed_dollars(b.net_per_capita_usd),
                output::signed_dollars(b.net_per_capita_deficit_per_capita_usd),
            ]);
        }
        out.push_str(&t.render());
        out.push_str(
            "  last column: net per capita with the deficit charged equally per resident (national net 0).\n",
        );
    }
    out.push_str(&format!(
        "\nDetails: fedsplit ledger | explain XX | sensitivity | sources   (net % of GDP nationally: {}%)\n",
        fixed(n.net_pct_gdp, 1)
    ));
    out
}
