//! Following an instance's console output for a bounded time.
//!
//! Polls GetConsoleOutput, prints only what is new, and stops after `--log-seconds` or on Ctrl-C.
use super::client::Clients;
use crate::capability::console::Console;
use base64::Engine as _;
use std::time::{Duration, Instant};

const POLL_EVERY: Duration = Duration::from_secs(3);

/// Prints what is new in the instance's console every few seconds until `seconds` pass or the
/// user presses Ctrl-C (which stops the stream, not the program).
pub async fn follow(clients: &Clients, instance_id: &str, seconds: u64, console: &mut Console) -> Result<(), String> {
    // Listening before saying Ctrl-C stops it, so a Ctrl-C right after the line is not lost.
    let mut interrupted = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).map_err(|e| format!("cannot listen for Ctrl-C: {e}"))?;
    console.print(&format!("Console output of {instance_id} for up to {seconds} s (Ctrl-C stops it):"));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut shown = String::new();
    loop {
        let out = clients
            .ec2
            .get_console_output()
            .instance_id(instance_id)
            .latest(true)
            .send()
            .await
            .map_err(|e| clients.describe("GetConsoleOutput", e).to_string())?;
        let text = out
            .output()
            .map(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
            .transpose()
            .map_err(|e| format!("the console output of {instance_id} is not base64: {e}"))?
            .unwrap_or_default();
        // The console is a rolling buffer: print only what follows what we already showed.
        let new = text.strip_prefix(shown.as_str()).unwrap_or(&text);
        if !new.trim().is_empty() {
            console.print(new.trim_end());
        }
        shown = text;
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        // Spins only between polls, so it never draws over a line of console output.
        let spinner = crate::spinner::start(&format!("following {instance_id}'s console, {} s left (Ctrl-C stops)", left.as_secs()));
        let stopped = tokio::select! {
            _ = tokio::time::sleep(left.min(POLL_EVERY)) => false,
            _ = interrupted.recv() => true,
        };
        drop(spinner);
        if stopped {
            console.print("(console stream stopped)");
            return Ok(());
        }
    }
    if shown.trim().is_empty() {
        console.print("(no console output yet; instances can take a few minutes to boot)");
    }
    Ok(())
}
