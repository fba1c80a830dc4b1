//! Ctrl-C during a deployment, from the first pre-flight request to the last create call.
//!
//! Pre-flight only reads, so a request in flight there is abandoned at once ([`Interrupt::or_cancel`]).
//! During creation Ctrl-C is honoured between requests, never inside one: a request cut off in
//! flight may still create something on the server that the deployment would never hear of, and
//! so could not roll back ([`Interrupt::check`]).
use super::AwsError;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub struct Interrupt {
    pressed: Arc<AtomicBool>,
    watcher: Option<tokio::task::JoinHandle<()>>,
}

/// How often a read that may be abandoned looks at the flag.
const POLL: Duration = Duration::from_millis(50);

impl Interrupt {
    /// Listens from now on (the handler is installed before this returns, so a Ctrl-C at the
    /// terminal is no longer ignored or fatal); must run inside the runtime. Without a signal
    /// handler, Ctrl-C ends the program as it did before.
    pub fn watch() -> Interrupt {
        let pressed = Arc::new(AtomicBool::new(false));
        let watcher = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok().map(|mut signal| {
            let pressed = pressed.clone();
            tokio::spawn(async move {
                if signal.recv().await.is_some() {
                    pressed.store(true, Ordering::SeqCst);
                }
            })
        });
        Interrupt { pressed, watcher }
    }

    /// Err(Cancelled) once Ctrl-C was pressed.
    pub fn check(&self) -> Result<(), AwsError> {
        if self.pressed.load(Ordering::SeqCst) { Err(AwsError::Cancelled) } else { Ok(()) }
    }

    /// `work`'s answer, or Err(Cancelled) as soon as Ctrl-C is pressed, abandoning `work`; only
    /// for requests that change nothing.
    pub async fn or_cancel<T>(&self, work: impl Future<Output = T>) -> Result<T, AwsError> {
        tokio::pin!(work);
        loop {
            self.check()?;
            tokio::select! {
                out = &mut work => return Ok(out),
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        if let Some(w) = &self.watcher {
            w.abort();
        }
    }
}
