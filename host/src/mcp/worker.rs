//! One MCP session's conversation, on a thread of its own.
//!
//! A `Session` is not `Send` (the wasmtime store, the AWS backend's own current-thread runtime),
//! and a plugin call blocks for as long as it runs, so each MCP session gets a thread that
//! creates the `Session` and runs jobs on it one at a time, in order; the async handler awaits
//! each job's answer. The thread ends when the handle is dropped.
use crate::session::Session;
use std::sync::mpsc;

type Job = Box<dyn FnOnce(&mut Session) + Send>;

pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

#[derive(Debug, thiserror::Error)]
#[error("the session's worker thread has stopped")]
pub struct Stopped;

impl Worker {
    /// Starts the thread and waits until `start` has made the session, so a session that cannot
    /// start is an error here and not at the first call.
    pub fn spawn(name: String, start: impl FnOnce() -> Result<Session, String> + Send + 'static) -> Result<Worker, String> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (started, ready) = mpsc::sync_channel::<Result<(), String>>(1);
        std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                let mut session = match start() {
                    Ok(session) => session,
                    Err(e) => {
                        let _ = started.send(Err(e));
                        return;
                    }
                };
                let _ = started.send(Ok(()));
                for job in queue {
                    job(&mut session);
                }
            })
            .map_err(|e| format!("cannot start a session thread: {e}"))?;
        ready.recv().map_err(|_| "the session thread stopped while starting".to_string())??;
        Ok(Worker { jobs })
    }

    /// Runs `job` on the session after the jobs sent before it, and returns its result.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce(&mut Session) -> T + Send + 'static) -> Result<T, Stopped> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |session| {
            let _ = answer.send(job(session));
        });
        self.jobs.send(job).map_err(|_| Stopped)?;
        answered.await.map_err(|_| Stopped)
    }
}
