//! The REPL on a real pseudo-terminal, as a person uses it: Ctrl-C cancels the action in
//! flight (here a model call that would take seconds) and is harmless at the prompt; Ctrl-D
//! leaves.
mod common;

use common::model_server::{ModelServer, Reply};
use std::ffi::CString;
use std::time::{Duration, Instant};

struct Terminal {
    master: i32,
    pid: libc::pid_t,
    seen: String,
}

impl Terminal {
    fn spawn(args: &[&str], env: &[(&str, String)]) -> Terminal {
        let program = CString::new(common::binary().to_str().unwrap()).unwrap();
        let argv: Vec<CString> = std::iter::once("aws-agent").chain(args.iter().copied()).map(|a| CString::new(a).unwrap()).collect();
        let mut argv_ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
        argv_ptrs.push(std::ptr::null());
        let envs: Vec<CString> = env.iter().map(|(k, v)| CString::new(format!("{k}={v}")).unwrap()).chain([CString::new("TERM=xterm").unwrap()]).collect();
        let mut env_ptrs: Vec<*const libc::c_char> = envs.iter().map(|e| e.as_ptr()).collect();
        env_ptrs.push(std::ptr::null());
        let dir = CString::new(common::repo().to_str().unwrap()).unwrap();
        let mut master = 0;
        // SAFETY: everything the child touches was allocated before the fork; between fork and
        // exec it only calls chdir, execve and _exit, which are async-signal-safe.
        let pid = unsafe { libc::forkpty(&mut master, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
        assert!(pid >= 0, "forkpty failed");
        if pid == 0 {
            unsafe {
                libc::chdir(dir.as_ptr());
                libc::execve(program.as_ptr(), argv_ptrs.as_ptr(), env_ptrs.as_ptr());
                libc::_exit(127);
            }
        }
        Terminal { master, pid, seen: String::new() }
    }

    /// Reads until `text` has appeared since the last call, or panics after `within`.
    fn expect(&mut self, text: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(at) = self.seen.find(text) {
                self.seen.drain(..at + text.len());
                return;
            }
            assert!(Instant::now() < deadline, "no {text:?} within {within:?}; the terminal showed:\n{}", self.seen);
            let mut poll = libc::pollfd { fd: self.master, events: libc::POLLIN, revents: 0 };
            // SAFETY: poll and read get a valid descriptor and a buffer of the length given.
            if unsafe { libc::poll(&mut poll, 1, 100) } > 0 {
                let mut buf = [0u8; 4096];
                let n = unsafe { libc::read(self.master, buf.as_mut_ptr().cast(), buf.len()) };
                if n > 0 {
                    self.seen.push_str(&String::from_utf8_lossy(&buf[..n as usize]));
                }
            }
        }
    }

    fn type_keys(&self, keys: &[u8]) {
        // SAFETY: writes `keys` to the descriptor forkpty gave us.
        let n = unsafe { libc::write(self.master, keys.as_ptr().cast(), keys.len()) };
        assert_eq!(n, keys.len() as isize);
    }

    /// The exit status, waiting at most `within`.
    fn exit_status(&self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            let mut status = 0;
            // SAFETY: waits for our own child without blocking.
            if unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) } == self.pid {
                return Some(if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -libc::WTERMSIG(status) });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        // SAFETY: ends our own child if a failed assertion left it running, and closes our end.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, std::ptr::null_mut(), 0);
            libc::close(self.master);
        }
    }
}

#[test]
fn ctrl_c_cancels_a_waiting_model_call_not_the_session_and_ctrl_d_leaves() {
    let server = ModelServer::start(vec![Reply::raven("Call: show_config()").after(Duration::from_secs(20))]);
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_AGENT_CACHE_DIR", common::cache_dir().display().to_string()),
        ("AWS_AGENT_STATE_DIR", home.path().join("state").display().to_string()),
        ("AWS_AGENT_CONFIG", home.path().join("config.toml").display().to_string()),
    ];
    let url = format!("{}/generate", server.url);
    let mut t = Terminal::spawn(&["--catalog", "tests/fixtures/catalog", "--llm", "raven", "--llm-url", &url], &env);
    t.expect("> ", Duration::from_secs(30));
    t.type_keys(b"show config\r");
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "the model was never asked");
        std::thread::sleep(Duration::from_millis(20));
    }
    t.type_keys(b"\x03");
    t.expect("No answer: the model call was cancelled.", Duration::from_secs(5));
    t.expect("Route it with the offline router instead?", Duration::from_secs(5));
    t.expect("> ", Duration::from_secs(5));
    t.type_keys(b"\x03");
    assert_eq!(t.exit_status(Duration::from_millis(500)), None, "Ctrl-C at the prompt ended the program");
    t.type_keys(b"\x04");
    assert_eq!(t.exit_status(Duration::from_secs(10)), Some(0), "Ctrl-D leaves cleanly");
}

/// Tab after a no-break space or an ideographic space (pasted text often has them) completes or
/// does nothing; it used to cut a character in half and end the program with status 101.
#[test]
fn tab_after_a_wide_space_completes_instead_of_panicking() {
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_AGENT_CACHE_DIR", common::cache_dir().display().to_string()),
        ("AWS_AGENT_STATE_DIR", home.path().join("state").display().to_string()),
        ("AWS_AGENT_CONFIG", home.path().join("config.toml").display().to_string()),
    ];
    let mut t = Terminal::spawn(&["--catalog", "tests/fixtures/catalog", "--quiet"], &env);
    t.expect("> ", Duration::from_secs(30));
    t.type_keys("set\u{a0}\t\u{3000}\t hist\t".as_bytes());
    t.expect("history", Duration::from_secs(5));
    t.type_keys(b"\x15quit\r");
    assert_eq!(t.exit_status(Duration::from_secs(10)), Some(0), "the REPL did not leave cleanly; it showed:\n{}", t.seen);
}
