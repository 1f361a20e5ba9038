//! `fedsplit serve`: the web page and JSON API on a local port, everything
//! embedded, nothing fetched at run time. Stops gracefully on SIGINT or
//! SIGTERM (exit 0).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
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
    #[command(flatten)]
    pub data: DataArgs,
}

/// How long open connections get to finish after a stop signal.
const DRAIN: Duration = Duration::from_secs(10);

pub fn run(cmd: &ServeCmd) -> anyhow::Result<String> {
    let data = Arc::new(cmd.data.load()?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(cmd, data))?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(String::new())
}

async fn serve(cmd: &ServeCmd, data: Arc<fedsplit_data::Dataset>) -> anyhow::Result<()> {
    let addr = SocketAddr::new(cmd.bind, cmd.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr().context("listening socket")?;
    let url = format!("http://{local}/");
    // Catch the stop signals before announcing the server, so that a signal
    // sent as soon as the line appears stops it gracefully.
    let signals = StopSignals::install()?;
    if !cmd.bind.is_loopback() {
        eprintln!(
            "fedsplit: warning: listening on {} — reachable from other machines",
            cmd.bind
        );
    }
    eprintln!("fedsplit: serving {url} (Ctrl-C to stop)");
    if cmd.open {
        open_browser(&url);
    }
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let app = crate::serve::router(data);
    let mut server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop_rx.wait_for(|stop| *stop).await;
            })
            .await
    });
    tokio::select! {
        result = &mut server => {
            // The server stopped by itself: an error.
            return match result {
                Ok(Ok(())) => Err(anyhow::anyhow!("the server stopped unexpectedly")),
                Ok(Err(e)) => Err(anyhow::Error::new(e).context("serving")),
                Err(e) => Err(anyhow::anyhow!("the server failed: {e}")),
            };
        }
        signal = signals.wait() => {
            let name = signal;
            eprintln!("fedsplit: {name} received, stopping");
        }
    }
    let _ = stop_tx.send(true);
    match tokio::time::timeout(DRAIN, &mut server).await {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(e))) => Err(anyhow::Error::new(e).context("serving")),
        Ok(Err(e)) => Err(anyhow::anyhow!("the server failed: {e}")),
        Err(_) => {
            eprintln!(
                "fedsplit: connections still open after {} s; stopping anyway",
                DRAIN.as_secs()
            );
            server.abort();
            Ok(())
        }
    }
}

/// SIGINT (Ctrl-C) and SIGTERM, caught from `install` on.
#[cfg(unix)]
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> anyhow::Result<StopSignals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(StopSignals {
            interrupt: signal(SignalKind::interrupt()).context("cannot catch SIGINT")?,
            terminate: signal(SignalKind::terminate()).context("cannot catch SIGTERM")?,
        })
    }

    /// Waits for either; returns the signal's name.
    async fn wait(mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> anyhow::Result<StopSignals> {
        Ok(StopSignals)
    }

    async fn wait(self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
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
