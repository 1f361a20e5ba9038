//! `fedsplit sensitivity`: each state's net per capita across every
//! combination of method × deficit × corporate key × procurement key.

use clap::Args;
use fedsplit_ledger::Ledger;
use fedsplit_report::sensitivity::{self, Sensitivity};

use crate::args::{DataArgs, Format, FormatArgs};
use crate::output::{self, fixed, Align, Csv, TextTable};

#[derive(Args, Debug)]
pub struct SensitivityCmd {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

pub fn run(cmd: &SensitivityCmd) -> anyhow::Result<String> {
    let data = cmd.data.load()?;
    let s = sensitivity::build(&Ledger::new(&data)?);
    Ok(match cmd.format.format {
        Format::Json => output::json_text(&s),
        Format::Csv => csv(&s),
        Format::Table => table(&s),
    })
}

fn csv(s: &Sensitivity) -> String {
    let mut out = Csv::new([
        "state",
        "default_net_per_capita_usd",
        "min_net_per_capita_usd",
        "min_at",
        "max_net_per_capita_usd",
        "max_at",
        "receiver_in",
        "combinations",
        "sign",
    ]);
    for r in &s.states {
        out.row([
            r.state.to_string(),
            fixed(r.default_net_per_capita_usd, 2),
            fixed(r.min_net_per_capita_usd, 2),
            r.min_at.clone(),
            fixed(r.max_net_per_capita_usd, 2),
            r.max_at.clone(),
            r.receiver_in.to_string(),
            s.grid.combinations.to_string(),
            r.sign.to_string(),
        ]);
    }
    out.finish()
}

fn table(s: &Sensitivity) -> String {
    let n = s.grid.combinations;
    let mut t = TextTable::new(&[
        ("state", Align::Left),
        ("default $", Align::Right),
        ("min $", Align::Right),
        ("max $", Align::Right),
        ("receiver in", Align::Right),
        ("sign", Align::Left),
        ("min at", Align::Left),
        ("max at", Align::Left),
    ]);
    let mut sorted: Vec<_> = s.states.iter().collect();
    sorted.sort_by(|a, b| {
        b.default_net_per_capita_usd
            .total_cmp(&a.default_net_per_capita_usd)
    });
    for r in sorted {
        t.row(vec![
            r.name.to_string(),
            output::signed_dollars(r.default_net_per_capita_usd),
            output::signed_dollars(r.min_net_per_capita_usd),
            output::signed_dollars(r.max_net_per_capita_usd),
            format!("{}/{}", r.receiver_in, n),
            r.sign.to_string(),
            r.min_at.clone(),
            r.max_at.clone(),
        ]);
    }
    format!(
        "Net per capita across {n} combinations of method × deficit × corporate key × procurement key\n\
         (interest and residual at each method's default; \"at\" = method/deficit/corporate/procurement)\n\n{}",
        t.render()
    )
}
