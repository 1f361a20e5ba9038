//! `fedsplit serve`: the web page and JSON API on a local port, everything
//! embedded, nothing fetched at run time. Stops gracefully on SIGINT or
//! SIGTERM (exit 0).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};

use clap::Args;

use crate::args::DataArgs;

#[derive(Args, Debug)]
pub struct ServeCmd {
    /// Port to listen on (0: any free port, printed at startup)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; the default serves this machine only
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Open the page in the default browser (xdg-open)
    #[arg(long)]
    pub open: bool,
    /// Also answer requests naming this Host (repeatable); localhost and the bound address always work. Guards against DNS rebinding
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    #[command(flatten)]
    pub data: DataArgs,
}

pub fn run(cmd: &ServeCmd) -> anyhow::Result<String> {
    // Every year is served; --year picks the one of requests that name none.
    let default_year = cmd.data.load()?.fiscal_year;
    let datasets = cmd.data.load_all()?;
    fedsplit_web::serve(
        fedsplit_web::ServeConfig {
            addr: SocketAddr::new(cmd.bind, cmd.port),
            allow_hosts: cmd.allow_host.clone(),
        },
        datasets,
        default_year,
        |local| {
            if !cmd.bind.is_loopback() {
                eprintln!(
                    "fedsplit: warning: listening on {} — reachable from other machines",
                    cmd.bind
                );
            }
            let url = format!("http://{local}/");
            eprintln!("fedsplit: serving {url} (Ctrl-C to stop)");
            if cmd.open {
                open_browser(&url);
            }
        },
        |signal| eprintln!("fedsplit: {signal} received, stopping"),
    )?;
    Ok(String::new())
}

/// Opens the page with xdg-open; failure is ignored (the URL is printed).
fn open_browser(url: &str) {
    let child = Command::new("xdg-open")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reap it so it leaves no zombie.
        std::thread::spawn(move || {
            let _ = child.wait();
        });
    }
}
