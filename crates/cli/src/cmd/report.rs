//! `fedsplit report`: the headline answers on one screen.

use clap::Args;
use fedsplit_ledger::sensitivity::Sign;
use fedsplit_ledger::{Deficit, Ledger};
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
    let years = cmd.data.load_all()?;
    let ledger = Ledger::new(&data)?;
    let options = cmd.ledger.options();
    let h = headline::build(&ledger, &options, &years)?;
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
        "fedsplit report — federal balance of payments by state, FY{}\noptions: {}\n\n",
        h.meta.fiscal_year,
        output::options_line(&options)
    );
    out.push_str(&wrap(&h.sentence, 100));
    out.push_str("\n\n");
    out.push_str(&format!(
        "United States (all {} states): receipts ${}M, attributed spending ${}M, net {} $M ({} per resident)\n",
        n.states,
        millions(n.receipts_usd),
        millions(n.spending_usd),
        output::signed_millions(n.net_usd),
        output::signed_dollars(n.net_per_capita_usd),
    ));
    out.push_str(
        "  net = spending − receipts; a positive net means the federal government spends more there than it collects.\n",
    );
    if options.deficit == Deficit::None && n.net_usd > 0.0 {
        out.push_str(&format!(
            "  The nation itself is a net receiver: it spends more than it collects (the deficit, ${}M in FY{}),\n  so most states look like receivers until the deficit is charged back (see --deficit).\n",
            millions(h.deficit_usd),
            h.meta.fiscal_year
        ));
    }
    out.push('\n');

    let mut t = TextTable::new(&[
        ("largest net receivers per capita", Align::Left),
        ("net/capita $", Align::Right),
        ("mandatory", Align::Right),
        ("  largest net payers per capita", Align::Left),
        ("net/capita $ ", Align::Right),
        ("mandatory ", Align::Right),
    ]);
    let pct = |x: f64| format!("{}%", fixed(100.0 * x, 0));
    for (a, b) in h
        .top_receivers_per_capita
        .iter()
        .zip(&h.top_payers_per_capita)
    {
        t.row(vec![
            format!("{}. {}", a.rank, a.name),
            output::signed_dollars(a.net_per_capita_usd),
            pct(a.mandatory_share_of_net),
            format!("  {}. {}", b.rank, b.name),
            output::signed_dollars(b.net_per_capita_usd),
            pct(b.mandatory_share_of_net),
        ]);
    }
    out.push_str(&t.render());
    out.push_str(
        "  mandatory: the part of the net due to mandatory programs (Social Security, Medicare, Medicaid, SNAP,\n  other payments to individuals, mandatory grants), the state's taxes counted as funding the national mix.\n",
    );

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

    if let Some(m) = &h.moved {
        out.push_str(&moved_table(m));
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
            ("gap per capita $", Align::Right),
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
            "  last column: net per capita with the located gap (attributed spending − receipts) charged equally per\n  resident, so the national net is 0 (--deficit per-capita); --deficit full-per-capita charges the whole deficit.\n",
        );
    }
    out.push_str(&format!(
        "\nDetails: fedsplit ledger | explain XX | sensitivity | sources   (net % of GDP nationally: {}%)\n",
        fixed(n.net_pct_gdp, 1)
    ));
    out
}

/// How the states moved across the fiscal years.
fn moved_table(m: &fedsplit_report::headline::Moved) -> String {
    let mut out = format!(
        "\nHow it moved, FY{} to FY{} (same options):\n",
        m.years[0],
        m.years[m.years.len() - 1]
    );
    let cols: Vec<String> = m.years.iter().map(|y| format!("FY{y}")).collect();
    let mut header: Vec<(&str, Align)> = vec![("", Align::Left)];
    header.extend(cols.iter().map(|c| (c.as_str(), Align::Right)));
    let mut t = TextTable::new(&header);
    let mut row = vec!["United States, net per resident $".to_string()];
    row.extend(
        m.national
            .iter()
            .map(|y| output::signed_dollars(y.net_per_capita_usd)),
    );
    t.row(row);
    out.push_str(&t.render());
    out.push_str(&format!(
        "  payers in every year ({}): {}\n",
        m.payers_every_year.len(),
        if m.payers_every_year.is_empty() {
            "none".to_string()
        } else {
            m.payers_every_year.join(" ")
        }
    ));
    if m.sign_changes.is_empty() {
        out.push_str("  no state changed sign between years\n");
    } else {
        out.push_str(&format!(
            "  changed sign between years ({}):\n",
            m.sign_changes.len()
        ));
        for c in &m.sign_changes {
            let path: Vec<String> = m
                .years
                .iter()
                .zip(&c.signs)
                .map(|(y, s)| format!("FY{y} {}", if *s == "receiver" { "+" } else { "−" }))
                .collect();
            out.push_str(&format!("    {:<22} {}\n", c.name, path.join("  ")));
        }
    }
    out
}

/// Wraps `text` at `width` characters on spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line > 0 && line + 1 + len > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}
