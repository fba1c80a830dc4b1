//! The local AWS simulator: a `moto_server` child process on a free loopback port.
//!
//! It waits until the server accepts connections, and kills it on drop and, through
//! `PR_SET_PDEATHSIG`, when the host dies. It runs in a process group of its own, so a Ctrl-C at
//! the terminal (which signals the terminal's foreground group) reaches the host, which decides
//! what it cancels, and never the simulator.
use super::AwsError;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long moto may take to start answering (it imports Flask and every service mock).
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Simulator {
    child: Child,
    pub url: String,
}

/// `AWS_AGENT_MOTO_SERVER`, else the `.venv` that `make run` prepares beside the build, else
/// `moto_server` on PATH.
pub fn find_moto_server() -> PathBuf {
    if let Some(path) = std::env::var_os("AWS_AGENT_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let beside_build = crate::paths::checkout().map(|repo| repo.join(".venv/bin/moto_server"));
    [beside_build, Some(PathBuf::from(".venv/bin/moto_server"))].into_iter().flatten().find(|p| p.is_file()).unwrap_or_else(|| PathBuf::from("moto_server"))
}

impl Simulator {
    pub fn start(program: &Path) -> Result<Simulator, AwsError> {
        let how_to_fix = "Run `make run` once (it installs moto[server] into .venv), set AWS_AGENT_MOTO_SERVER to a moto_server, or pass --aws-endpoint URL";
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .map_err(|e| AwsError::Simulator(format!("no free loopback port for the AWS simulator: {e}")))?
            .port();
        let mut command = Command::new(program);
        command.args(["-H", "127.0.0.1", "-p", &port.to_string()]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).process_group(0);
        // SAFETY: prctl is async-signal-safe; it makes the simulator exit when we do, even on kill -9.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let child = command.spawn().map_err(|e| AwsError::Simulator(format!("cannot start the AWS simulator {}: {e}. {how_to_fix}.", program.display())))?;
        let mut simulator = Simulator { child, url: format!("http://127.0.0.1:{port}") };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(simulator);
            }
            if let Ok(Some(status)) = simulator.child.try_wait() {
                return Err(AwsError::Simulator(format!("the AWS simulator {} exited at start ({status}). {how_to_fix}.", program.display())));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(AwsError::Simulator(format!("the AWS simulator did not answer on {} within {START_TIMEOUT:?}. {how_to_fix}.", simulator.url)));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Simulator {
    /// How it ended, if it has (killed from outside, crashed); None while it runs.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
