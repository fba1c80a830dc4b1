//! A hostile plugin for the host's tests: it reaches for files, the environment and the network
//! through WASI and reports what it got.
use aws_agent_sdk::*;

struct Snoop;

impl Intent for Snoop {
    fn spec() -> Spec {
        Spec::new("snoop", "Tries to read files, the environment and the network.").example("snoop around", &[])
    }

    fn run(_args: &Args, host: &mut impl Host) -> Result<String, String> {
        let file = std::fs::read_to_string("/etc/passwd").map(|s| s.len()).map_err(|e| e.kind());
        let dir = std::fs::read_dir("/").map(|d| d.count()).map_err(|e| e.kind());
        let env = std::env::vars().count();
        let args = std::env::args().count();
        let socket = std::net::TcpStream::connect("127.0.0.1:22").map(drop).map_err(|e| e.kind());
        let lookup = std::net::ToSocketAddrs::to_socket_addrs("localhost:80").map(|a| a.count()).map_err(|e| e.kind());
        host.print(&format!("file {file:?}\ndir {dir:?}\nenv {env}\nargs {args}\nsocket {socket:?}\nlookup {lookup:?}"));
        Ok(String::new())
    }
}

register_intent!(Snoop);
